using Tessera.Tests.Http;
using Tessera.Tests.Http.Jobs;
using Tessera.Tests.Support;

namespace Tessera.Tests.Browser;

/// <summary>One browser and two real servers for the dashboard's browser tests: <see cref="Live"/> runs its jobs,
/// <see cref="Still"/> keeps them queued (for pause and resume). Both serve a library made here: a few photos of the
/// corpus in folders and some plain images.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public Browser Browser { get; private set; } = null!;

    public TesseraHost Live { get; private set; } = null!;

    public TesseraHost Still { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Live = await TesseraHost.StartAsync(Populate, o => JobApi.Configure(o, runJobs: true));
        Still = await TesseraHost.StartAsync(Populate, o => JobApi.Configure(o, runJobs: false));
        Browser = new Browser();
    }

    public async Task DisposeAsync()
    {
        Browser?.Dispose();
        if (Live is not null)
        {
            await Live.DisposeAsync();
        }

        if (Still is not null)
        {
            await Still.DisposeAsync();
        }
    }

    private static void Populate(string root)
    {
        var lib = Path.Combine(root, "lib");
        var photos = Corpus.Files("photos").Where(f => new FileInfo(f).Length < 2_500_000 && f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)).Take(6).ToList();
        Assert.True(photos.Count >= 3, $"the corpus at {Corpus.Root} has too few photos for the browser tests");
        foreach (var photo in photos)
        {
            Directory.CreateDirectory(Path.Combine(lib, "Photos"));
            File.Copy(photo, Path.Combine(lib, "Photos", Path.GetFileName(photo).Split("__")[^1]));
        }

        foreach (var exif in Corpus.Files("exif").Take(4))
        {
            Directory.CreateDirectory(Path.Combine(lib, "Phone"));
            File.Copy(exif, Path.Combine(lib, "Phone", Path.GetFileName(exif)));
        }

        (string Name, byte R, byte G, byte B)[] colours = [("amber", 224, 165, 38), ("blue", 47, 111, 219), ("green", 58, 166, 114), ("red", 212, 82, 74)];
        foreach (var (name, r, g, b) in colours)
        {
            Images.WriteSolidJpeg(Path.Combine(lib, $"{name}.jpg"), 640, 480, r, g, b);
        }
    }
}
