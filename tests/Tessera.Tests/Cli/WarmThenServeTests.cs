using Tessera.Tests.Http;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cli;

public sealed class WarmThenServeTests
{
    [Fact]
    public async Task AFolderWarmedByTheCli_IsServedHot_WithoutAnyGeneration()
    {
        await using var host = await TesseraHost.StartAsync(root =>
        {
            File.Copy(Corpus.Path("photos/mate__Wood.jpg"), Path.Combine(root, "lib", "wood.jpg"));
            File.Copy(Corpus.Path("exif/Portrait_6.jpg"), Path.Combine(root, "lib", "portrait.jpg"));
        });

        // The CLI warms the same data folder the server has open, as an operator would.
        var warm = await CliRunner.RunAsync("warm", "--data", Path.Combine(host.Root, "data"), "--presets", "grid", host.LibraryPath);
        Assert.True(warm.ExitCode == 0, warm.Stderr);
        Assert.Contains("warmed 2, skipped 0, failed 0", warm.Stdout, StringComparison.Ordinal);

        foreach (var name in new[] { "wood.jpg", "portrait.jpg" })
        {
            using var response = await host.Client.GetAsync(new Uri($"/t/lib/grid/{name}", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("hit", response.Headers.GetValues("X-Tessera-Cache").Single());
        }

        Assert.Equal(0, host.Cache.Service.Generations);
    }
}
