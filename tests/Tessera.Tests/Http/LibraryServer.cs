using Tessera.Tests.Support;

namespace Tessera.Tests.Http;

/// <summary>A class fixture: one running server per test class over a small generated library, a couple of
/// corpus photos copied in, broken files, symlinks, and a secret file beside (outside) the library.</summary>
public sealed class LibraryServer : IAsyncLifetime
{
    /// <summary>The secret's shape and colour: distinctive, so a leaked thumbnail of it would be recognised.</summary>
    public const int SecretWidth = 321;
    public const int SecretHeight = 123;

    /// <summary>Files under lib/names/ with awkward names, all 500x250.</summary>
    public static readonly string[] FileNames = ["photo 1.jpg", "café.jpg", "日本.jpg", "a [1].jpg", "b[].jpg", "100%.jpg", "hash#.jpg", "what?.jpg", "semi;colon.jpg", "plus+sign.jpg", "quote'.jpg"];

    private TesseraHost? _host;

    public TesseraHost Host => _host ?? throw new InvalidOperationException("the server has not started");

    /// <summary>Absolute path of root/secret.jpg, outside the library.</summary>
    public string SecretPath => Path.Combine(Host.Root, "secret.jpg");

    public async Task InitializeAsync() => _host = await TesseraHost.StartAsync(Populate, o => o.AdminApiKey = TesseraHost.AdminKey);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private static void Populate(string root)
    {
        var lib = Path.Combine(root, "lib");
        Images.WriteSolidJpeg(Path.Combine(lib, "a.jpg"), 1200, 800, 30, 120, 200);
        Images.WriteSolidJpeg(Path.Combine(lib, "b.jpg"), 900, 600, 200, 30, 120);
        Images.WriteSolidJpeg(Path.Combine(lib, "c.jpg"), 640, 480, 120, 200, 30);
        Images.WriteSolidJpeg(Path.Combine(lib, "small.jpg"), 300, 200, 90, 90, 200);
        Images.WriteSolidJpeg(Path.Combine(lib, "sub", "inner.jpg"), 500, 500, 10, 10, 240);

        // Names that need percent-encoding or that libvips could misread ("x [1].jpg" looks like loader options).
        foreach (var name in FileNames)
        {
            Images.WriteSolidJpeg(Path.Combine(lib, "names", name), 500, 250, 180, 180, 40);
        }

        // Real photos full of metadata (EXIF, IPTC, XMP; GPS), copied into the temp library.
        Directory.CreateDirectory(Path.Combine(lib, "photos"));
        File.Copy(Corpus.Path("photos/sharp__Landscape_9.jpg"), Path.Combine(lib, "photos", "landscape.jpg"));
        File.Copy(Corpus.Path("photos/ianare__HMD_Nokia_8.3_5G.jpg"), Path.Combine(lib, "photos", "nokia.jpg"));

        // Broken sources.
        var garbage = new byte[4096];
        new Random(42).NextBytes(garbage);
        File.WriteAllBytes(Path.Combine(lib, "bad.jpg"), garbage);
        File.Copy(Corpus.Path("malformed/sharp__65536-uint32-limit.png"), Path.Combine(lib, "bomb.png"));

        // The secret, beside the library, and ways to reach it through symlinks.
        Images.WriteSolidJpeg(Path.Combine(root, "secret.jpg"), SecretWidth, SecretHeight, 0, 255, 0);
        Directory.CreateSymbolicLink(Path.Combine(lib, "escape"), root);
        Directory.CreateSymbolicLink(Path.Combine(lib, "sub", "up"), "../..");
        File.CreateSymbolicLink(Path.Combine(lib, "secret-link.jpg"), Path.Combine(root, "secret.jpg"));
        File.CreateSymbolicLink(Path.Combine(lib, "relative-secret.jpg"), "../secret.jpg");

        // Links that lead nowhere.
        File.CreateSymbolicLink(Path.Combine(lib, "dangling.jpg"), Path.Combine(root, "nothing-here.jpg"));
        File.CreateSymbolicLink(Path.Combine(lib, "loop-a.jpg"), Path.Combine(lib, "loop-b.jpg"));
        File.CreateSymbolicLink(Path.Combine(lib, "loop-b.jpg"), Path.Combine(lib, "loop-a.jpg"));

        // Links that stay inside the library.
        File.CreateSymbolicLink(Path.Combine(lib, "inside-link.jpg"), Path.Combine(lib, "sub", "inner.jpg"));
        File.CreateSymbolicLink(Path.Combine(lib, "relative-inside.jpg"), "sub/inner.jpg");
        Directory.CreateSymbolicLink(Path.Combine(lib, "sub-alias"), Path.Combine(lib, "sub"));
    }
}
