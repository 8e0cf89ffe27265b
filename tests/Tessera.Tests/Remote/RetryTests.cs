using Tessera.Core.Remote;
using static Tessera.Tests.Remote.RemoteTestKit;

namespace Tessera.Tests.Remote;

public sealed class RetryTests
{
    [Fact]
    public async Task A_server_error_followed_by_success_is_fetched_on_the_second_attempt()
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions());

        AssertFetched(await fetcher.Fetch(upstream.Url("/flaky")));

        Assert.Equal(2, upstream.Hits("/flaky"));
        Assert.Equal(2, fetcher.Requests);
    }

    [Fact]
    public async Task A_persistent_server_error_is_tried_max_retries_plus_one_times()
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions(o => o.MaxRetries = 3));

        var failed = AssertFailed(await fetcher.Fetch(upstream.Url("/always-500")), RemoteFailure.Upstream);

        Assert.Equal(4, upstream.Hits("/always-500"));
        Assert.Contains("500", failed.Detail, StringComparison.Ordinal);
        Assert.Contains("4 attempts", failed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_retries_a_server_error_is_tried_once()
    {
        await using var upstream = await Upstream.StartAsync();
        AssertFailed(await Fetcher(LoopbackOptions(o => o.MaxRetries = 0)).Fetch(upstream.Url("/always-500")), RemoteFailure.Upstream);
        Assert.Equal(1, upstream.Hits("/always-500"));
    }

    [Fact]
    public async Task A_503_with_retry_after_is_retried_after_exactly_that_delay()
    {
        await using var upstream = await Upstream.StartAsync();
        var clock = new RecordingTimeProvider();
        var fetcher = Fetcher(LoopbackOptions(), clock);

        AssertFetched(await fetcher.Fetch(upstream.Url("/busy")));

        Assert.Equal(2, upstream.Hits("/busy"));
        // Polly waits on the injected clock: the one retry delay is the upstream's Retry-After, not the tiny backoff.
        Assert.Contains(TimeSpan.FromSeconds(1), clock.DueTimes);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_maximum_fails_at_once_and_reports_it()
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions());

        var failed = AssertFailed(await fetcher.Fetch(upstream.Url("/busy-long")), RemoteFailure.Upstream);

        Assert.Equal(TimeSpan.FromHours(1), failed.RetryAfter);
        Assert.Equal(1, upstream.Hits("/busy-long"));
    }

    [Fact]
    public async Task A_timed_out_attempt_is_retried_and_then_reported_as_timeout()
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions(o =>
        {
            o.Timeout = TimeSpan.FromSeconds(1);
            o.MaxRetries = 1;
        }));

        AssertFailed(await fetcher.Fetch(upstream.Url("/slow-headers")), RemoteFailure.Timeout);

        Assert.Equal(2, upstream.Hits("/slow-headers"));
    }

    [Fact]
    public async Task A_too_large_body_is_not_retried()
    {
        await using var upstream = await Upstream.StartAsync();
        AssertFailed(await Fetcher(LoopbackOptions(o => o.MaxBytes = 1000)).Fetch(upstream.Url("/endless")), RemoteFailure.TooLarge);
        Assert.Equal(1, upstream.Hits("/endless"));
    }
}
