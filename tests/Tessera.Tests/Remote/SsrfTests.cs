using System.Net;
using System.Net.Sockets;
using System.Text;
using Tessera.Core.Remote;
using static Tessera.Tests.Remote.RemoteTestKit;

namespace Tessera.Tests.Remote;

/// <summary>End to end against a loopback upstream with no allowed networks: whatever spelling reaches it, the
/// upstream must see nothing.</summary>
public sealed class SsrfTests
{
    [Theory]
    [InlineData("http://127.0.0.1:{port}/img.png")]
    [InlineData("http://2130706433:{port}/img.png")]
    [InlineData("http://0x7f.0.0.1:{port}/img.png")]
    [InlineData("http://0177.0.0.1:{port}/img.png")]
    [InlineData("http://127.1:{port}/img.png")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/img.png")]
    [InlineData("http://[::ffff:7f00:1]:{port}/img.png")]
    [InlineData("http://[::127.0.0.1]:{port}/img.png")]
    [InlineData("http://[64:ff9b::7f00:1]:{port}/img.png")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://100.100.100.200/")]
    [InlineData("http://0.0.0.0:{port}/img.png")]
    [InlineData("http://localhost:{port}/img.png")]
    [InlineData("http://[::]:{port}/img.png")]
    [InlineData("http://224.0.0.1/")]
    [InlineData("http://[::1]:{port}/img.png")]
    public async Task Every_spelling_of_an_internal_address_is_blocked_and_nothing_reaches_the_upstream(string template)
    {
        await using var upstream = await Upstream.StartAsync();
        var options = LoopbackOptions(o => o.AllowedNetworks.Clear());
        var fetcher = Fetcher(options);
        var url = new Uri(template.Replace("{port}", upstream.Port.ToString(), StringComparison.Ordinal));

        AssertFailed(await fetcher.Fetch(url), RemoteFailure.Blocked);

        Assert.Equal(0, upstream.Requests);
        Assert.Equal(0, fetcher.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("[::ffff:127.0.0.1]")]
    [InlineData("localhost")]
    public async Task The_handler_itself_refuses_to_connect_to_a_denied_address(string host)
    {
        // Bypasses RemoteFetcher's syntactic check: the connect-time guard alone must stop it.
        await using var upstream = await Upstream.StartAsync();
        using var client = RemoteHttp.CreateFactory(new RemoteOptions()).CreateClient(RemoteHttp.ClientName);

        var url = new Uri($"http://{host}:{upstream.Port}/img.png");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url).WaitAsync(NoHang));

        var blocked = Assert.IsType<RemoteBlockedException>(error.InnerException);
        Assert.Contains("loopback", blocked.Message, StringComparison.Ordinal);
        Assert.Equal(0, upstream.Requests);
    }

    [Fact]
    public async Task A_name_resolving_to_a_denied_address_is_blocked_at_connect()
    {
        await using var upstream = await Upstream.StartAsync();
        var resolver = new StubResolver(IPAddress.Loopback);
        var fetcher = GuardedFetcher(new RemoteOptions(), resolver);

        var failed = AssertFailed(await fetcher.Fetch(new Uri($"http://images.example.com:{upstream.Port}/img.png")), RemoteFailure.Blocked);

        Assert.Contains("resolves only to blocked addresses", failed.Detail, StringComparison.Ordinal);
        Assert.Equal(1, resolver.Calls);
        Assert.Equal(0, upstream.Requests);
    }

    [Fact]
    public async Task Only_checked_addresses_are_connected_to_when_a_name_resolves_to_a_mix()
    {
        // A decoy listens on 127.0.0.2 at the same port and is listed first; only 127.0.0.1/32 is allowed, so the
        // guard must skip the decoy (and 10.0.0.1) and connect to the checked 127.0.0.1.
        await using var upstream = await Upstream.StartAsync();
        await using var decoy = await Upstream.StartAsync(url: $"http://127.0.0.2:{upstream.Port}");
        var resolver = new StubResolver(IPAddress.Parse("127.0.0.2"), IPAddress.Parse("10.0.0.1"), IPAddress.Loopback);
        var fetcher = GuardedFetcher(LoopbackOptions(o => o.MaxRetries = 0), resolver);

        AssertFetched(await fetcher.Fetch(new Uri($"http://images.example.com:{upstream.Port}/img.png")));

        Assert.Equal(1, upstream.Requests);
        Assert.Equal(0, decoy.Requests);
    }

    [Fact]
    public async Task An_unknown_host_is_an_upstream_failure_not_an_exception()
    {
        var fetcher = GuardedFetcher(LoopbackOptions(), new StubResolver());
        var failed = AssertFailed(await fetcher.Fetch(new Uri("http://no-such-host.example/img.png")), RemoteFailure.Upstream);
        Assert.Contains("DNS", failed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_an_upstream_failure_not_an_exception()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now

        var failed = AssertFailed(await Fetcher(LoopbackOptions()).Fetch(new Uri($"http://127.0.0.1:{port}/img.png")), RemoteFailure.Upstream);

        Assert.Contains("connection", failed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_response_is_an_upstream_failure_not_an_exception()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = 0;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var socket = await listener.AcceptSocketAsync();
                    Interlocked.Increment(ref accepted);
                    await socket.SendAsync(Encoding.ASCII.GetBytes("this is not HTTP at all\r\n\r\n"));
                    socket.Shutdown(SocketShutdown.Both);
                }
            }
            catch (SocketException)
            {
                // the listener was stopped
            }
            catch (ObjectDisposedException)
            {
            }
        });

        var failed = AssertFailed(await Fetcher(LoopbackOptions()).Fetch(new Uri($"http://127.0.0.1:{port}/img.png")), RemoteFailure.Upstream);

        Assert.Contains("malformed response", failed.Detail, StringComparison.Ordinal);
        Assert.Equal(1, Volatile.Read(ref accepted)); // a protocol error is not retried
    }

    private static RemoteFetcher GuardedFetcher(RemoteOptions options, StubResolver resolver)
    {
        var handler = RemoteHttp.CreateHandler(options, options.ParseAllowedNetworks(), resolver.Resolve);
        return new RemoteFetcher(new HandlerFactory(handler), options);
    }
}
