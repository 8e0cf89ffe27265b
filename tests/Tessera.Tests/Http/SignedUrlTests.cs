using System.Net;
using System.Net.Sockets;
using Tessera.Core.Signing;

namespace Tessera.Tests.Http;

/// <summary>/r/{signature}/{preset}/{source}: a bad signature is refused with nothing fetched and nothing cached.</summary>
public sealed class SignedUrlTests : IAsyncLifetime, IDisposable
{
    private const string OldKey = "old-signing-key-0123456789";
    private const string NewKey = "new-signing-key-0123456789";
    private readonly TcpListener _upstream = new(IPAddress.Loopback, 0);
    private int _connections;
    private TesseraHost _host = null!;

    private string Source => $"http://127.0.0.1:{((IPEndPoint)_upstream.LocalEndpoint).Port}/cover.jpg";

    public async Task InitializeAsync()
    {
        _upstream.Start();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await _upstream.AcceptTcpClientAsync();
                Interlocked.Increment(ref _connections);
            }
        });
        _host = await TesseraHost.StartAsync(_ => { }, o => o.SigningKeys.AddRange([NewKey, OldKey]));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _upstream.Stop();
    }

    public void Dispose() => _upstream.Dispose();

    public static TheoryData<string> Tamperings() => new()
    {
        "signature", "preset", "source", "truncated", "empty-ish", "other-key",
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task ATamperedUrl_Is403_WithNoFetchAndNoCacheWrite(string how)
    {
        var signed = new UrlSigner([NewKey]).Sign("grid", Source);
        var parts = signed.Split('/'); // "", "r", sig, preset, source
        var path = how switch
        {
            "signature" => $"/r/{Flip(parts[2])}/{parts[3]}/{parts[4]}",
            "preset" => $"/r/{parts[2]}/thumb/{parts[4]}",
            "source" => $"/r/{parts[2]}/{parts[3]}/{UrlSigner.Encode(Source + "?x=1")}",
            "truncated" => $"/r/{parts[2][..20]}/{parts[3]}/{parts[4]}",
            "empty-ish" => $"/r/AAAA/{parts[3]}/{parts[4]}",
            _ => new UrlSigner(["an-unknown-key-0123456789"]).Sign("grid", Source),
        };

        using var response = await _host.Client.GetAsync(path);

        await HttpAssert.ProblemAsync(response, 403, "signature");
        Assert.Equal(0, Volatile.Read(ref _connections));
        Assert.False(Directory.Exists(Path.Combine(_host.Root, "data", "renditions")) && Directory.EnumerateFiles(Path.Combine(_host.Root, "data", "renditions"), "*", SearchOption.AllDirectories).Any());
        Assert.Equal(0, _host.Cache.Negatives.Count);
    }

    [Fact]
    public void KeysRotate_UrlsSignedWithTheOldKeyStillVerify()
    {
        var signer = new UrlSigner([NewKey, OldKey]);
        var old = new UrlSigner([OldKey]).Sign("grid", Source);
        var parts = old.Split('/');

        Assert.True(signer.Verify(parts[2], $"/{parts[3]}/{parts[4]}"));
        Assert.StartsWith(new UrlSigner([NewKey]).Sign("grid", Source), signer.Sign("grid", Source), StringComparison.Ordinal);
        Assert.Equal(Source, UrlSigner.Decode(parts[4]));
    }

    [Fact]
    public async Task WithoutKeys_SignedUrlsAreOff()
    {
        await using var host = await TesseraHost.StartAsync(_ => { });
        var signed = new UrlSigner([NewKey]).Sign("grid", Source);

        using var response = await host.Client.GetAsync(signed);

        await HttpAssert.ProblemAsync(response, 404, "signing key");
    }

    [Fact]
    public async Task AValidSignature_ForAPresetNotOnTheAllowList_Is400()
    {
        using var response = await _host.Client.GetAsync(new UrlSigner([NewKey]).Sign("huge", Source));

        await HttpAssert.ProblemAsync(response, 400, "unknown preset 'huge'");
        Assert.Equal(0, Volatile.Read(ref _connections));
    }

    [Fact]
    public void ShortKeys_AreRefused() =>
        Assert.Throws<ArgumentException>(() => new UrlSigner(["short"]));

    private static string Flip(string s) => (s[0] == 'A' ? 'B' : 'A') + s[1..];
}
