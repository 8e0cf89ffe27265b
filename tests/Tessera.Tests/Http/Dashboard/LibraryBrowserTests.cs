using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core.Access;
using Tessera.Core.Sources;
using Tessera.Server.Dashboard;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Dashboard;

/// <summary>GET /api/libraries and GET /api/libraries/{library}/folders/{path}: what the dashboard's browser walks.</summary>
public sealed class LibraryBrowserTests : IAsyncLifetime
{
    private const string SigningKey = "library-browser-signing-key-0123";
    private TesseraHost _host = null!;

    public async Task InitializeAsync() => _host = await TesseraHost.StartAsync(root =>
    {
        var lib = Path.Combine(root, "lib");
        Images.WriteSolidJpeg(Path.Combine(lib, "b.jpg"), 64, 64);
        Images.WriteSolidJpeg(Path.Combine(lib, "A.jpg"), 64, 64);
        Images.WriteSolidJpeg(Path.Combine(lib, "Summer 2019", "beach.jpg"), 64, 64);
        File.WriteAllText(Path.Combine(lib, "notes.txt"), "not media");
        Images.WriteSolidJpeg(Path.Combine(lib, ".hidden.jpg"), 64, 64);
        Images.WriteSolidJpeg(Path.Combine(root, "outside", "secret.jpg"), 64, 64);
        File.CreateSymbolicLink(Path.Combine(lib, "escape"), Path.Combine(root, "outside"));
        File.CreateSymbolicLink(Path.Combine(lib, "escape.jpg"), Path.Combine(root, "outside", "secret.jpg"));
        File.CreateSymbolicLink(Path.Combine(lib, "inside.jpg"), Path.Combine(lib, "b.jpg"));
        Images.WriteSolidJpeg(Path.Combine(root, "private", "p.jpg"), 64, 64);
    }, o =>
    {
        o.AdminApiKey = TesseraHost.AdminKey;
        o.Libraries["private"] = Path.Combine(Path.GetDirectoryName(o.DataPath)!, "private");
        o.SigningKeys.Add(SigningKey);
        o.Access.Modes["private"] = AccessMode.Signed;
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await _host.GetAsAdminAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string[] Names(JsonElement body, string list) => [.. body.GetProperty(list).EnumerateArray().Select(e => e.GetProperty("name").GetString()!)];

    [Fact]
    public async Task TheRoot_ListsFoldersAndMediaFiles_SortedByName_WithoutHiddenFilesOrLinksOut()
    {
        var (status, body) = await GetAsync("/api/libraries/lib/folders/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["Summer 2019"], Names(body, "folders"));
        Assert.Equal(["A.jpg", "b.jpg", "inside.jpg"], Names(body, "files"));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("parent").ValueKind);
        var file = body.GetProperty("files")[0];
        Assert.Equal("/t/lib/grid/A.jpg", file.GetProperty("thumb").GetString());
        Assert.Equal("/t/lib/detail/A.jpg", file.GetProperty("detail").GetString());

        var (_, bare) = await GetAsync("/api/libraries/lib/folders");
        Assert.Equal(["A.jpg", "b.jpg", "inside.jpg"], Names(bare, "files"));
    }

    [Fact]
    public async Task ASubfolder_IsListedWithItsParent_AndUrlsArePercentEncoded()
    {
        var (status, body) = await GetAsync("/api/libraries/lib/folders/Summer%202019");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("", body.GetProperty("parent").GetString());
        var file = Assert.Single(body.GetProperty("files").EnumerateArray());
        Assert.Equal("Summer 2019/beach.jpg", file.GetProperty("path").GetString());
        Assert.Equal("/t/lib/grid/Summer%202019/beach.jpg", file.GetProperty("thumb").GetString());
        using var thumb = await _host.Client.GetAsync(new Uri(file.GetProperty("thumb").GetString()!, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, thumb.StatusCode);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../outside")]
    [InlineData("Summer 2019/../..")]
    [InlineData("/etc")]
    [InlineData("escape")]
    [InlineData("escape/")]
    [InlineData("Summer 2019//x")]
    public void TraversalAndLinksOut_AreInvalidPaths(string path)
    {
        var library = _host.App.Services.GetRequiredService<IReadOnlyDictionary<string, FolderLibrary>>()["lib"];
        var listing = FolderListing.Read(library, path.TrimEnd('/'));
        Assert.Equal(StatusCodes.Status400BadRequest, listing.Status);
        Assert.NotNull(listing.Problem);
        Assert.Empty(listing.Files);
    }

    [Theory]
    [InlineData("/api/libraries/lib/folders/..")]
    [InlineData("/api/libraries/lib/folders/Summer%202019/..%2F..%2Foutside")]
    [InlineData("/api/libraries/lib/folders/%2e%2e/outside")]
    [InlineData("/api/libraries/lib/folders/..%2Foutside")]
    [InlineData("/api/libraries/lib/folders/escape")]
    [InlineData("/api/libraries/lib/folders/%2Fetc")]
    public async Task TraversalOverHttp_IsRefused_AndShowsNothingOutside(string target)
    {
        var response = await RawHttp.GetAsync(_host.BaseAddress, target, $"X-Api-Key: {TesseraHost.AdminKey}\r\n");
        Assert.True(response.Status is 400 or 404, $"{target}: {response.Status}");
        Assert.DoesNotContain("secret.jpg", response.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/libraries/lib/folders/nothing-here", HttpStatusCode.NotFound)]
    [InlineData("/api/libraries/lib/folders/A.jpg", HttpStatusCode.NotFound)]
    [InlineData("/api/libraries/nolib/folders/", HttpStatusCode.NotFound)]
    [InlineData("/api/libraries/lib/folders/?preset=huge", HttpStatusCode.BadRequest)]
    public async Task UnknownNames_AreRefused(string path, HttpStatusCode expected)
    {
        using var response = await _host.GetAsAdminAsync(path);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task ASignedLibrary_GetsSignedUrls_ThatTheServerAccepts()
    {
        var (status, body) = await GetAsync("/api/libraries/private/folders/");
        Assert.Equal(HttpStatusCode.OK, status);
        var thumb = Assert.Single(body.GetProperty("files").EnumerateArray()).GetProperty("thumb").GetString()!;
        Assert.Matches(@"^/t/private/grid/p\.jpg\?expires=\d+&sig=[A-Za-z0-9_-]+$", thumb);
        using var signed = await _host.Client.GetAsync(new Uri(thumb, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        using var unsigned = await _host.Client.GetAsync(new Uri("/t/private/grid/p.jpg", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
    }

    [Fact]
    public async Task TheLibrariesRoute_NamesLibrariesPresetsAndAccess_ForTheAdminOnly()
    {
        var (status, body) = await GetAsync("/api/libraries");
        Assert.Equal(HttpStatusCode.OK, status);
        var libraries = body.GetProperty("libraries").EnumerateArray().Select(l => $"{l.GetProperty("name").GetString()}:{l.GetProperty("kind").GetString()}:{l.GetProperty("access").GetString()}");
        Assert.Equal(["lib:folder:public", "private:folder:signed"], libraries);
        Assert.Contains("grid", body.GetProperty("presets").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Empty(body.GetProperty("catalogs").EnumerateArray());

        using var anonymous = await _host.Client.GetAsync(new Uri("/api/libraries", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var folderAnonymous = await _host.Client.GetAsync(new Uri("/api/libraries/lib/folders/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, folderAnonymous.StatusCode);
    }
}
