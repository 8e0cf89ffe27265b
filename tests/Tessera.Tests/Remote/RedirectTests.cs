using Tessera.Core.Remote;
using static Tessera.Tests.Remote.RemoteTestKit;

namespace Tessera.Tests.Remote;

public sealed class RedirectTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public async Task A_chain_of_up_to_five_relative_and_absolute_redirects_is_followed(int hops)
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions());

        var fetched = AssertFetched(await fetcher.Fetch(upstream.Url($"/redirect/{hops}")));

        Assert.Equal(ProviderRoutes.Png, fetched.Bytes);
        Assert.Equal(upstream.Url("/redirect/0"), fetched.FinalUrl);
        Assert.Equal(hops + 1, upstream.Requests);
    }

    [Fact]
    public async Task A_sixth_redirect_is_blocked_without_following_it()
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions());

        var failed = AssertFailed(await fetcher.Fetch(upstream.Url("/redirect/6")), RemoteFailure.Blocked);

        Assert.Contains("more than 5 redirects", failed.Detail, StringComparison.Ordinal);
        Assert.Equal(6, upstream.Requests);
        Assert.Equal(0, upstream.Hits("/redirect/0"));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task Every_redirect_status_is_followed(int status)
    {
        await using var upstream = await Upstream.StartAsync();
        var fetched = AssertFetched(await Fetcher(LoopbackOptions()).Fetch(upstream.Url($"/to?status={status}&url=/img.png")));
        Assert.Equal(upstream.Url("/img.png"), fetched.FinalUrl);
    }

    [Theory]
    [InlineData("http://127.0.0.2:{port}/img.png")]
    [InlineData("http://[::1]:{port}/img.png")]
    [InlineData("http://[::ffff:127.0.0.2]:{port}/img.png")]
    [InlineData("http://10.0.0.1/img.png")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://user@127.0.0.1:{port}/img.png")]
    public async Task A_redirect_to_an_internal_or_non_http_destination_is_blocked(string target)
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions());
        var location = Uri.EscapeDataString(target.Replace("{port}", upstream.Port.ToString(), StringComparison.Ordinal));

        var failed = AssertFailed(await fetcher.Fetch(upstream.Url($"/to?url={location}")), RemoteFailure.Blocked);

        Assert.Contains("redirect (302)", failed.Detail, StringComparison.Ordinal);
        Assert.Equal(1, upstream.Requests); // only the redirect itself
        Assert.Equal(1, fetcher.Requests);
    }

    [Fact]
    public async Task Every_hop_is_checked_against_the_host_allow_list()
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions(o => o.AllowedHosts.Add("127.0.0.1")));
        AssertFetched(await fetcher.Fetch(upstream.Url("/redirect/2")));

        var location = Uri.EscapeDataString($"http://localhost:{upstream.Port}/img.png");
        var failed = AssertFailed(await fetcher.Fetch(upstream.Url($"/to?url={location}")), RemoteFailure.Blocked);

        Assert.Contains("AllowedHosts", failed.Detail, StringComparison.Ordinal);
        Assert.Equal(0, upstream.Hits("/img.png"));
    }

    [Fact]
    public async Task A_redirect_without_location_is_an_upstream_failure()
    {
        await using var upstream = await Upstream.StartAsync();
        AssertFailed(await Fetcher(LoopbackOptions()).Fetch(upstream.Url("/to?url=")), RemoteFailure.Upstream);
    }
}
