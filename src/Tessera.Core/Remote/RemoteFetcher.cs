using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Runtime.CompilerServices;
using Polly;
using Tessera.Core.Redaction;

namespace Tessera.Core.Remote;

/// <summary>Fetches an original image from a provider URL: syntactic checks, then per hop a retried attempt under the
/// per-host limit and the download timeout, following redirects itself so every hop is checked again. Remote problems
/// come back as <see cref="FetchResult.Failed"/>; only the caller's cancellation throws.</summary>
public sealed partial class RemoteFetcher
{
    private readonly IHttpClientFactory _factory;
    private readonly RemoteOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly UrlPolicy _urls;
    private readonly HostLimiter _hosts;
    private readonly HostPacer _pacer;
    private readonly ResiliencePipeline<Attempt> _pipeline;
    private readonly Func<Uri, Action<HttpRequestMessage>?>? _credentials;
    private readonly string _clientName;
    private long _requests;

    /// <param name="factory">Must have the <see cref="RemoteHttp.ClientName"/> client registered by
    /// <see cref="RemoteHttp"/> with the same options; its handler is the connect-time SSRF guard.</param>
    /// <param name="credentials">Per request, what to add to it (a catalog's key header) for the URL it goes to, or
    /// null to add nothing. Asked again at every redirect hop, so a key is only ever sent where it belongs.</param>
    /// <param name="clientName">The named client to send with (a catalog's origin-pinned stack).</param>
    public RemoteFetcher(IHttpClientFactory factory, RemoteOptions options, TimeProvider? time = null, ILogger<RemoteFetcher>? logger = null,
        Func<Uri, Action<HttpRequestMessage>?>? credentials = null, string clientName = RemoteHttp.ClientName)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _factory = factory;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _urls = new UrlPolicy(options);
        _hosts = new HostLimiter(options.MaxConnectionsPerHost);
        _pacer = new HostPacer(options.HostRequestsPerMinute, options.MaxPaceWait, _time);
        _pipeline = RetryPipeline.Build(options, _time, _logger);
        _credentials = credentials;
        _clientName = clientName;
    }

    /// <summary>Attempts that reached the upstream (sent past the address guard), retries and redirect hops included.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    internal int TrackedHosts => _hosts.TrackedHosts;

    /// <summary>The checks made before any I/O: http(s) only, no user info, host allow-list, IP literals against the
    /// address policy. Host names are checked again, by address, when connecting.</summary>
    public static bool TryCheckUrl(string url, RemoteOptions options, out Uri? uri, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(options);
        uri = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed))
        {
            reason = "not an absolute URL";
            return false;
        }

        if (!new UrlPolicy(options).TryCheck(parsed, out reason))
        {
            return false;
        }

        uri = parsed;
        return true;
    }

    public async Task<FetchResult> FetchAsync(Uri url, RemoteValidators? validators, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        ct.ThrowIfCancellationRequested();
        if (!_urls.TryCheck(url, out var reason))
        {
            return Report(url, new FetchResult.Failed(RemoteFailure.Blocked, reason!));
        }

        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            var tries = new StrongBox<int>();
            var attempt = await _pipeline.ExecuteAsync(
                static (state, token) => state.Fetcher.AttemptAsync(state.Url, state.Validators, state.Tries, token),
                (Fetcher: this, Url: current, Validators: validators, Tries: tries),
                ct);

            switch (attempt)
            {
                case Attempt.Done done:
                    return Report(current, done.Result);

                case Attempt.Retryable retry:
                    return Report(current, retry.Failure with { Detail = $"{retry.Failure.Detail} (gave up after {tries.Value} attempts)" });

                case Attempt.Redirect redirect when redirects >= _options.MaxRedirects:
                    return Report(current, new FetchResult.Failed(RemoteFailure.Blocked, $"more than {_options.MaxRedirects} redirects (next: {Redactor.Url(redirect.Location)})"));

                case Attempt.Redirect redirect when !_urls.TryCheck(redirect.Location, out reason):
                    return Report(current, new FetchResult.Failed(RemoteFailure.Blocked, $"redirect ({redirect.Status}) to {Redactor.Url(redirect.Location)} refused: {reason}"));

                case Attempt.Redirect redirect:
                    current = redirect.Location;
                    break;
            }
        }
    }

    private FetchResult Report(Uri url, FetchResult result)
    {
        switch (result)
        {
            case FetchResult.Fetched fetched:
                Log.Fetched(_logger, new Redacted(url.AbsoluteUri), fetched.Bytes.Length, fetched.MediaType);
                break;
            case FetchResult.Failed { Kind: RemoteFailure.Blocked } blocked:
                Log.Blocked(_logger, new Redacted(url.AbsoluteUri), blocked.Detail);
                break;
            case FetchResult.Failed failed:
                Log.Failed(_logger, new Redacted(url.AbsoluteUri), failed.Kind, failed.Detail);
                break;
        }

        return result;
    }
}
