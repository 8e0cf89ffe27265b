// NetVips 3.2 with its bundled libvips (NetVips.Native 8.18.7), as its README recommends for thumbnails:
// Image.Thumbnail (shrink-on-load, auto-rotate), one libvips thread per image like Tessera.
using NetVips;

Cache.Max = 0;
NetVips.NetVips.Concurrency = 1;
return PeerRunner.Run(args, (src, dst) =>
{
    using var thumb = Image.Thumbnail(src, 400, height: 400, size: Enums.Size.Down);
    thumb.WriteToFile(dst + "[Q=80,effort=4,keep=none]");
});
