using Tessera.Core.Remote;
using static Tessera.Tests.Remote.RemoteTestKit;

namespace Tessera.Tests.Remote;

public sealed class LimitTests
{
    [Fact]
    public async Task A_body_that_stalls_after_a_few_bytes_times_out_instead_of_hanging()
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions(o =>
        {
            o.Timeout = TimeSpan.FromSeconds(1);
            o.MaxRetries = 0;
        }));

        var failed = AssertFailed(await fetcher.Fetch(upstream.Url("/slow-body")), RemoteFailure.Timeout);

        Assert.Contains("1 s", failed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_the_callers_token_throws_instead_of_reporting_a_failure()
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions(o => o.Timeout = TimeSpan.FromSeconds(30)));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            fetcher.FetchAsync(upstream.Url("/slow-body"), null, cts.Token).WaitAsync(NoHang));
    }

    [Fact]
    public async Task A_token_cancelled_before_the_call_throws_without_contacting_the_upstream()
    {
        await using var upstream = await Upstream.StartAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Fetcher(LoopbackOptions()).FetchAsync(upstream.Url("/img.png"), null, new CancellationToken(canceled: true)));
        Assert.Equal(0, upstream.Requests);
    }

    [Fact]
    public async Task A_content_length_over_the_cap_is_refused_without_reading_the_body()
    {
        await using var upstream = await Upstream.StartAsync();
        // The upstream never sends this body: reading it would end in Timeout, not TooLarge.
        var fetcher = Fetcher(LoopbackOptions(o => o.MaxBytes = 1_000_000));

        var failed = AssertFailed(await fetcher.Fetch(upstream.Url("/declared-large?length=1000001")), RemoteFailure.TooLarge);

        Assert.Contains("Content-Length 1000001", failed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endless_chunked_body_stops_at_the_cap()
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions(o => o.MaxBytes = 256 * 1024));

        var failed = AssertFailed(await fetcher.Fetch(upstream.Url("/endless")), RemoteFailure.TooLarge);

        Assert.Contains("body exceeds", failed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_of_exactly_the_cap_is_fetched_and_one_byte_less_is_too_large()
    {
        await using var upstream = await Upstream.StartAsync();
        var length = ProviderRoutes.Png.Length;

        AssertFetched(await Fetcher(LoopbackOptions(o => o.MaxBytes = length)).Fetch(upstream.Url("/img.png")));
        AssertFetched(await Fetcher(LoopbackOptions(o => o.MaxBytes = length)).Fetch(upstream.Url("/chunked")));
        AssertFailed(await Fetcher(LoopbackOptions(o => o.MaxBytes = length - 1)).Fetch(upstream.Url("/img.png")), RemoteFailure.TooLarge);
        AssertFailed(await Fetcher(LoopbackOptions(o => o.MaxBytes = length - 1)).Fetch(upstream.Url("/chunked")), RemoteFailure.TooLarge);
    }
}
