using System.Net;
using Microsoft.AspNetCore.Builder;
using System.Text.Json;
using Tessera.Core.Presets;
using Tessera.Tests.Remote;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Manifest;

/// <summary>POST /api/manifest through the real server: 1,000 paths or ids answered in order, ready ones with their
/// ETag, size and preview, the rest from their header or pending, and nothing generated, fetched or written.</summary>
public sealed class ManifestTests
{
    private const int Count = 1000;
    private const int Warmed = 200;

    private static string Name(int i) => $"Set 1/f{i:D4}.jpg";

    [Fact]
    public async Task AThousandPaths_ReadyAndPending_AreAnsweredInOrder_AndNothingIsGenerated()
    {
        await using var host = await TesseraHost.StartAsync(root =>
        {
            for (var i = 0; i < Count; i++)
            {
                // Landscape and portrait, so the header-probed sizes differ.
                Images.WriteSolidJpeg(Path.Combine(root, "lib", Name(i)), i % 2 == 0 ? 300 : 200, i % 2 == 0 ? 200 : 300, (byte)(i % 256), 90, 160);
            }
        });
        var thumb = PresetCatalog.Default.All.Single(p => p.Name == "thumb");
        for (var i = 0; i < Warmed; i++)
        {
            await host.Cache.Service.EnsureAsync(Path.Combine(host.LibraryPath, Name(i)), thumb, OutputFormat.WebP, CancellationToken.None);
        }

        var generations = host.Cache.Service.Generations;
        var rows = ManifestClient.IndexRows(host);
        var names = Enumerable.Range(0, Count).Select(Name).Reverse().ToList(); // answered in request order, not index order

        var (status, body) = await ManifestClient.PostAsync(host, ManifestClient.Body("lib", "thumb", "paths", names));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("webp", body.Str("format"));
        Assert.False(body.TryGetProperty("expires", out _)); // a public library: no signed URLs
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(names, items.Select(x => x.Str("path")));
        Assert.Equal(generations, host.Cache.Service.Generations);
        Assert.Equal(rows, ManifestClient.IndexRows(host));
        for (var n = 0; n < Count; n++)
        {
            var i = Count - 1 - n;
            var item = items[n];
            var landscape = i % 2 == 0;
            Assert.Equal((landscape ? 150 : 100, landscape ? 100 : 150), (item.Int("width"), item.Int("height")));
            Assert.Equal($"/t/lib/thumb/Set%201/f{i:D4}.jpg", item.Str("url"));
            if (i < Warmed)
            {
                Assert.Equal("ready", item.Str("status"));
                Assert.Matches("^\"[0-9a-f]{64}\"$", item.Str("etag"));
                Assert.InRange(Convert.FromBase64String(item.Str("thumbHash")!).Length, 5, 30);
                Assert.Matches("^#[0-9a-f]{6}$", item.Str("color"));
            }
            else
            {
                Assert.Equal("pending", item.Str("status"));
                Assert.Null(item.Str("etag"));
                Assert.Null(item.Str("thumbHash"));
            }
        }

        // A ready item's ETag is the one its URL answers with; a pending one's URL makes it, and it is then ready at the probed size.
        var ready = items[Count - 1];
        using (var hit = await host.Client.GetAsync(new Uri(ready.Str("url")!, UriKind.Relative)))
        {
            Assert.Equal(ready.Str("etag"), hit.Headers.ETag!.Tag);
            Assert.Equal("hit", hit.Headers.GetValues("X-Tessera-Cache").Single());
        }

        var pending = items[0];
        using (var miss = await host.Client.GetAsync(new Uri(pending.Str("url")!, UriKind.Relative)))
        {
            Assert.Equal("miss", miss.Headers.GetValues("X-Tessera-Cache").Single());
        }

        var (_, again) = await ManifestClient.PostAsync(host, ManifestClient.Body("lib", "thumb", "paths", [pending.Str("path")!]));
        var made = again.GetProperty("items")[0];
        Assert.Equal("ready", made.Str("status"));
        Assert.Equal((pending.Int("width"), pending.Int("height")), (made.Int("width"), made.Int("height")));
    }

    [Fact]
    public async Task MissingInvalidAndFailedPaths_HaveTheirStatusAndReason()
    {
        await using var host = await TesseraHost.StartAsync(root =>
        {
            Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 300, 200);
            File.WriteAllBytes(Path.Combine(root, "lib", "broken.jpg"), [0xFF, 0xD8, 0xFF, 0, 1, 2, 3]);
        });
        using (await host.Client.GetAsync(new Uri("/t/lib/thumb/broken.jpg", UriKind.Relative)))
        {
        }

        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [Path.Combine(host.LibraryPath, "fifo.jpg")]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var (status, body) = await ManifestClient.PostAsync(host, ManifestClient.Body("lib", "thumb", "paths", ["nope.jpg", "../etc/passwd", "broken.jpg", "a.jpg", "fifo.jpg"]));

        Assert.Equal(HttpStatusCode.OK, status);
        var items = body.GetProperty("items");
        Assert.Equal("missing", items[0].Str("status"));
        Assert.Equal("invalid", items[1].Str("status"));
        Assert.NotNull(items[1].Str("reason"));
        Assert.Null(items[1].Str("url"));
        Assert.Equal("failed", items[2].Str("status"));
        Assert.Equal("decode-failed", items[2].Str("reason"));
        Assert.Equal("pending", items[3].Str("status"));
        Assert.Equal(150, items[3].Int("width"));
        Assert.Equal("pending", items[4].Str("status")); // a FIFO is never opened for its header: it could block forever
        Assert.Null(items[4].Int("width"));
    }

    [Fact]
    public async Task AThousandIds_OfAProviderLibrary_AreNeverFetched_AndLeaveNoRow()
    {
        await using var provider = await Upstream.StartAsync((app, _) =>
            app.MapGet("/covers/{id}.jpg", (string id) => Microsoft.AspNetCore.Http.Results.Bytes(Images.SolidJpeg(240, 360, (byte)id.Length, 200, 30), "image/jpeg")));
        await using var host = await TesseraHost.StartAsync(_ => { }, o =>
        {
            o.Providers["books"] = [$"{provider.BaseAddress.AbsoluteUri.TrimEnd('/')}/covers/{{id}}.jpg"];
            o.Remote.AllowedNetworks.Add("127.0.0.0/8");
        });
        for (var i = 0; i < 5; i++)
        {
            using var warm = await host.Client.GetAsync(new Uri($"/i/books/isbn-{i}/cover?preset=thumb", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var fetches = provider.Requests;
        var rows = ManifestClient.IndexRows(host);
        var generations = host.Cache.Service.Generations;
        var ids = Enumerable.Range(0, Count).Select(i => $"isbn-{i}").ToList();

        var (status, body) = await ManifestClient.PostAsync(host, ManifestClient.Body("books", "thumb", "ids", ids));

        Assert.Equal(HttpStatusCode.OK, status);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(ids, items.Select(x => x.Str("id")));
        Assert.All(items.Take(5), x =>
        {
            Assert.Equal("ready", x.Str("status"));
            Assert.Equal((100, 150), (x.Int("width"), x.Int("height")));
            Assert.NotNull(x.Str("thumbHash"));
        });
        Assert.All(items.Skip(5), x => Assert.True(x.Str("status") == "pending", x.ToString()));
        Assert.Equal("/i/books/isbn-7/cover?preset=thumb", items[7].Str("url"));
        Assert.Equal(fetches, provider.Requests);
        Assert.Equal(rows, ManifestClient.IndexRows(host));
        Assert.Equal(generations, host.Cache.Service.Generations);

        using var served = await host.Client.GetAsync(new Uri(items[0].Str("url")!, UriKind.Relative));
        Assert.Equal(items[0].Str("etag"), served.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task AnAlias_AndARegisteredPath_AreAnsweredAsTheirItem()
    {
        await using var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "covers", "x.jpg"), 300, 200), o =>
            o.AdminApiKey = TesseraHost.AdminKey);
        using var admin = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/items/lib/book-1/cover", UriKind.Relative))
        {
            Content = new StringContent("""{"path": "covers/x.jpg"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        admin.Headers.Add("X-Api-Key", TesseraHost.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(admin)).StatusCode);
        using var alias = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/items/lib/book-1/aliases", UriKind.Relative))
        {
            Content = new StringContent("""{"aliases": ["isbn/978"]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        alias.Headers.Add("X-Api-Key", TesseraHost.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(alias)).StatusCode);

        var (_, before) = await ManifestClient.PostAsync(host, ManifestClient.Body("lib", "thumb", "ids", ["isbn/978", "book-1", "nobody"]));
        Assert.Equal(["pending", "pending", "missing"], before.GetProperty("items").EnumerateArray().Select(x => x.Str("status")));
        Assert.Equal((150, 100), (before.GetProperty("items")[0].Int("width"), before.GetProperty("items")[0].Int("height"))); // the registered file's header
        Assert.Equal("/i/lib/isbn%2F978/cover?preset=thumb", before.GetProperty("items")[0].Str("url"));

        using (var image = await host.Client.GetAsync(new Uri("/i/lib/book-1/cover?preset=thumb", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        }

        var (_, after) = await ManifestClient.PostAsync(host, ManifestClient.Body("lib", "thumb", "ids", ["isbn/978", "book-1"]));
        var items = after.GetProperty("items");
        Assert.Equal("ready", items[0].Str("status"));
        Assert.Equal(items[0].Str("etag"), items[1].Str("etag")); // one item, one rendition
    }

    [Fact]
    public async Task APreview_DecodesNearTheSourcesColour()
    {
        await using var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "red.jpg"), 320, 240, 220, 40, 30));
        using (await host.Client.GetAsync(new Uri("/t/lib/grid/red.jpg", UriKind.Relative)))
        {
        }

        var (_, body) = await ManifestClient.PostAsync(host, ManifestClient.Body("lib", "grid", "paths", ["red.jpg"]));

        var item = body.GetProperty("items")[0];
        Assert.Equal("ready", item.Str("status"));
        var hash = Convert.FromBase64String(item.Str("thumbHash")!);
        Assert.True(hash.Length <= 30, $"{hash.Length} bytes");
        var (w, h, rgba) = ThumbHashDecoder.Decode(hash);
        Assert.True(w > h);
        var (r, g, b) = ThumbHashDecoder.Average(rgba);
        Assert.InRange(r, 205, 235);
        Assert.InRange(g, 25, 55);
        Assert.InRange(b, 15, 45);
        var colour = item.Str("color")!;
        Assert.InRange(Convert.ToInt32(colour[1..3], 16), 210, 230);
        Assert.InRange(Convert.ToInt32(colour[3..5], 16), 30, 50);
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { "{not json", "expected a JSON body" },
        { "", "expected a JSON body" },
        { "[1, 2]", "expected a JSON body" },
        { """{"library": "lib", "preset": "thumb"}""", "either" },
        { """{"library": "lib", "preset": "thumb", "paths": [], "ids": []}""", "either" },
        { """{"library": "lib", "preset": "thumb", "paths": []}""", "1 to 1000" },
        { """{"library": "lib", "preset": "thumb", "paths": [1, 2]}""", "expected a JSON body" },
        { """{"library": "lib", "preset": "thumb", "paths": [null]}""", "must be a string" },
        { """{"library": "nowhere", "preset": "thumb", "paths": ["a.jpg"]}""", "unknown library" },
        { """{"library": "lib", "preset": "huge", "paths": ["a.jpg"]}""", "unknown preset" },
        { """{"library": "lib", "preset": "thumb", "format": "bmp", "paths": ["a.jpg"]}""", "unknown format" },
        { """{"library": "lib", "preset": "thumb", "role": "Bad Role!", "ids": ["a"]}""", "role" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task ABadRequest_Is400_WithAReason(string json, string reason)
    {
        await using var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 30, 20));

        var (status, body) = await ManifestClient.PostAsync(host, json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, body.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoreThanAThousand_Is400()
    {
        await using var host = await TesseraHost.StartAsync(_ => { });

        var (status, body) = await ManifestClient.PostAsync(host, ManifestClient.Body("lib", "thumb", "ids", Enumerable.Range(0, 1001).Select(i => $"{i}")));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("1 to 1000", body.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("1001", body.Str("detail"), StringComparison.Ordinal);
    }
}
