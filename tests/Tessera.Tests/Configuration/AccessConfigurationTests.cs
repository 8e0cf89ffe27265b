using Microsoft.Extensions.Configuration;
using Tessera.Core.Access;
using Tessera.Core.Configuration;
using Tessera.Core.Signing;
using Tessera.Tests.Cli;

namespace Tessera.Tests.Configuration;

/// <summary>Libraries:NAME:Access (or the object form with Path), Catalogs:NAME:Access, Access:AuthUrl, Access:AuthCache,
/// Access:UserHeader; and the flags --access, --auth-url, --auth-cache and `tessera sign /t/…`.</summary>
public sealed class AccessConfigurationTests
{
    private const string Key = "access-config-key-0123456789";

    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();

    private static IConfiguration Pairs(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void TheFile_SetsModesPerLibraryProviderAndCatalog()
    {
        var o = TesseraConfiguration.Read(Json("""
            {
              "Data": "/tmp/d",
              "SigningKeys": ["access-config-key-0123456789"],
              "Libraries": { "photos": { "Path": "/srv/photos", "Access": "signed" }, "music": "/srv/music", "books": { "Access": "forward" } },
              "Providers": { "books": "https://covers.example.com/{id}.jpg" },
              "Catalogs": { "stash": { "Kind": "stash", "Url": "http://stash:9999", "Access": "forward" } },
              "Access": { "AuthUrl": "http://app:3000/auth", "AuthCache": "10s", "UserHeader": "X-User" }
            }
            """));

        Assert.Equal("/srv/photos", o.Libraries["photos"]);
        Assert.Equal(AccessMode.Signed, o.Access.ModeOf("photos"));
        Assert.Equal(AccessMode.Public, o.Access.ModeOf("music"));
        Assert.Equal(AccessMode.Forward, o.Access.ModeOf("books"));
        Assert.Equal(AccessMode.Forward, o.Access.ModeOf("stash"));
        Assert.False(o.Libraries.ContainsKey("books"));
        Assert.Equal(new Uri("http://app:3000/auth"), o.Access.AuthUrl);
        Assert.Equal(TimeSpan.FromSeconds(10), o.Access.AuthCache);
        Assert.Equal("X-User", o.Access.UserHeader);
    }

    [Theory]
    [InlineData("Libraries:photos:Access", "private", "Libraries:photos:Access")]
    [InlineData("Libraries:nowhere:Access", "signed", "Libraries:nowhere:Access")]
    [InlineData("Libraries:photos:Access", "forward", "Access:AuthUrl")]
    [InlineData("Access:AuthCache", "2h", "Access:AuthCache")]
    [InlineData("Access:AuthUrl", "ftp://app/auth", "Access:AuthUrl")]
    [InlineData("Access:ManifestExpiry", "10s", "Access:ManifestExpiry")]
    [InlineData("Access:ManifestExpiry", "30d", "Access:ManifestExpiry")]
    public void AMistake_NamesTheKey(string key, string value, string named)
    {
        var e = Assert.Throws<TesseraConfigurationException>(() => TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"), ("SigningKeys", Key),
            ("Libraries:photos", "/srv/photos"), (key, value))));
        Assert.StartsWith(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AuthCache_ZeroAsksEveryTime()
    {
        var o = TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"), ("Access:AuthCache", "0")));
        Assert.Equal(TimeSpan.Zero, o.Access.AuthCache);
    }

    [Fact]
    public void ManifestExpiry_IsAnHourUnlessSet()
    {
        Assert.Equal(TimeSpan.FromHours(1), TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"))).Access.ManifestExpiry);
        Assert.Equal(TimeSpan.FromMinutes(15), TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"), ("Access:ManifestExpiry", "15m"))).Access.ManifestExpiry);
    }

    [Fact]
    public void SignedAccess_NeedsASigningKey()
    {
        var e = Assert.Throws<TesseraConfigurationException>(() => TesseraConfiguration.Read(Pairs(("Data", "/tmp/d"),
            ("Libraries:photos", "/srv/photos"), ("Libraries:photos:Access", "signed"))));
        Assert.Contains("signing key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_ARoutePath_PrintsItEncodedWithAnExpiringSignature()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var result = await CliRunner.RunAsync("sign", "/t/photos/grid/Summer 2019/a.jpg", "--expires", "2h", "--signing-key", Key);
        Assert.Equal(0, result.ExitCode);
        var printed = result.Stdout.Trim();
        Assert.StartsWith("/t/photos/grid/Summer%202019/a.jpg?expires=", printed, StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(printed[(printed.IndexOf('?', StringComparison.Ordinal) + 1)..]);
        var expires = long.Parse(query["expires"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - before, 7000, 7300);
        Assert.True(new UrlSigner([Key]).VerifyPath("/t/photos/grid/Summer 2019/a.jpg", query["expires"], query["sig"], DateTimeOffset.UtcNow));
        Assert.False(new UrlSigner([Key]).VerifyPath("/t/photos/grid/Summer 2019/b.jpg", query["expires"], query["sig"], DateTimeOffset.UtcNow));

        var bad = await CliRunner.RunAsync("sign", "/x/photos/a.jpg", "--signing-key", Key);
        Assert.Equal(2, bad.ExitCode);
    }
}
