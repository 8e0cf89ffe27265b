using System.Collections.Concurrent;
using System.Net;
using Tessera.Core.Remote;

namespace Tessera.Tests.Remote;

/// <summary>Options and fetchers the Remote tests share: a loopback upstream needs 127.0.0.1/32 exempted, retries
/// use a tiny base delay, and every fetch is bounded so a hang fails the test instead of the run.</summary>
public static class RemoteTestKit
{
    public static readonly TimeSpan NoHang = TimeSpan.FromSeconds(60);

    public static RemoteOptions LoopbackOptions(Action<RemoteOptions>? configure = null)
    {
        var options = new RemoteOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1), Timeout = TimeSpan.FromSeconds(5) };
        options.AllowedNetworks.Add("127.0.0.1/32");
        configure?.Invoke(options);
        return options;
    }

    public static RemoteFetcher Fetcher(RemoteOptions options, TimeProvider? time = null) =>
        new(RemoteHttp.CreateFactory(options), options, time);

    public static Task<FetchResult> Fetch(this RemoteFetcher fetcher, Uri url, RemoteValidators? validators = null) =>
        fetcher.FetchAsync(url, validators, CancellationToken.None).WaitAsync(NoHang);

    public static FetchResult.Failed AssertFailed(FetchResult result, RemoteFailure kind)
    {
        var failed = Assert.IsType<FetchResult.Failed>(result);
        Assert.True(failed.Kind == kind, $"expected {kind}, got {failed.Kind}: {failed.Detail}");
        return failed;
    }

    public static FetchResult.Fetched AssertFetched(FetchResult result) =>
        result is FetchResult.Failed failed
            ? throw new Xunit.Sdk.XunitException($"expected Fetched, got {failed.Kind}: {failed.Detail}")
            : Assert.IsType<FetchResult.Fetched>(result);
}

/// <summary>An IHttpClientFactory over one handler, for tests that need a handler with a stub resolver.</summary>
public sealed class HandlerFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
}

/// <summary>The system clock, recording every timer due time asked for (Polly's retry delays among them).</summary>
public sealed class RecordingTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    public IReadOnlyList<TimeSpan> DueTimes => [.. _dueTimes];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _dueTimes.Enqueue(dueTime);
        return System.CreateTimer(callback, state, dueTime, period);
    }
}

/// <summary>Resolves every name to fixed addresses (or fails like NXDOMAIN when there are none).</summary>
public sealed class StubResolver(params IPAddress[] addresses)
{
    public int Calls { get; private set; }

    public Task<IPAddress[]> Resolve(string host, CancellationToken ct)
    {
        Calls++;
        return addresses.Length == 0
            ? Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound))
            : Task.FromResult(addresses);
    }
}
