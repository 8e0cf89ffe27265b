using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Tessera.Core.Access;
using Tessera.Server.Catalog;

namespace Tessera.Server.Access;

/// <summary>Forward access: asks the app's auth URL with the request's Cookie and Authorization. 2xx allows (the
/// answer may name the user), 401/403 deny; anything else, a timeout or no answer denies with 503 (fail closed: an app
/// outage must not open private images, and 503 tells clients to try again). Decisions are cached per credential —
/// keyed by a SHA-256 of the credentials, never the credentials themselves — for Access:AuthCache; concurrent requests
/// with the same credentials share one call. Failures are not cached.</summary>
internal sealed partial class ForwardAuthenticator : IDisposable
{
    private readonly AccessOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ForwardAuthenticator> _logger;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private long _calls;

    public ForwardAuthenticator(AccessOptions options, TimeProvider time, ILogger<ForwardAuthenticator> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Calls made to the auth URL so far (for stats and tests).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public async Task<AccessDecision> DecideAsync(string? cookie, string? authorization)
    {
        var key = CredentialKey(cookie, authorization);
        while (true)
        {
            if (_cache.TryGetValue(key, out var cached))
            {
                if (!cached.Decision.IsCompleted || cached.ExpiresAt > _time.GetUtcNow())
                {
                    return await cached.Decision.ConfigureAwait(false);
                }

                _cache.TryRemove(KeyValuePair.Create(key, cached));
            }

            var answer = new TaskCompletionSource<AccessDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
            var mine = new Entry(answer.Task);
            if (!_cache.TryAdd(key, mine))
            {
                continue;
            }

            Trim();
            var decision = await AskAsync(cookie, authorization).ConfigureAwait(false);
            if (decision.Status is 200 or 401 or 403 && _options.AuthCache > TimeSpan.Zero)
            {
                mine.ExpiresAt = _time.GetUtcNow() + _options.AuthCache;
            }
            else
            {
                _cache.TryRemove(KeyValuePair.Create(key, mine));
            }

            answer.SetResult(decision);
            return decision;
        }
    }

    private async Task<AccessDecision> AskAsync(string? cookie, string? authorization)
    {
        Interlocked.Increment(ref _calls);
        using var timeout = new CancellationTokenSource(_options.AuthTimeout, _time);
        using var request = new HttpRequestMessage(HttpMethod.Get, _options.AuthUrl);
        if (!string.IsNullOrEmpty(cookie))
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
        }

        if (!string.IsNullOrEmpty(authorization))
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                var user = response.Headers.TryGetValues(_options.UserHeader, out var values) ? values.FirstOrDefault()?.Trim() : null;
                return AccessDecision.Allow(user is { Length: > 0 } && CatalogQueryParser.IsUserName(user) ? user : null);
            }

            if (status is 401 or 403)
            {
                return AccessDecision.Deny(status, "the app's auth URL refused these credentials");
            }

            LogUnexpected(_logger, status);
            return AccessDecision.Deny(503, "the app's auth URL gave no decision");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            LogUnreachable(_logger, e.GetType().Name);
            return AccessDecision.Deny(503, "the app's auth URL could not be asked");
        }
    }

    /// <summary>Keeps the cache bounded: past the cap, expired decisions go, then (still over) the oldest-expiring.</summary>
    private void Trim()
    {
        if (_cache.Count <= _options.AuthCacheEntries)
        {
            return;
        }

        var now = _time.GetUtcNow();
        foreach (var (key, entry) in _cache)
        {
            if (entry.Decision.IsCompleted && entry.ExpiresAt <= now)
            {
                _cache.TryRemove(KeyValuePair.Create(key, entry));
            }
        }

        var excess = _cache.Count - _options.AuthCacheEntries * 9 / 10;
        foreach (var (key, entry) in _cache.Where(e => e.Value.Decision.IsCompleted).OrderBy(e => e.Value.ExpiresAt).Take(Math.Max(0, excess)).ToList())
        {
            _cache.TryRemove(KeyValuePair.Create(key, entry));
        }
    }

    private static string CredentialKey(string? cookie, string? authorization) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{cookie}\n{authorization}")));

    public void Dispose() => _http.Dispose();

    private sealed class Entry(Task<AccessDecision> decision)
    {
        private long _expiresTicks; // 0 (never valid) until the decision is in

        public Task<AccessDecision> Decision { get; } = decision;

        public DateTimeOffset ExpiresAt
        {
            get => new(Volatile.Read(ref _expiresTicks), TimeSpan.Zero);
            set => Volatile.Write(ref _expiresTicks, value.UtcTicks);
        }
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "The auth URL answered {Status}: denied with 503")]
    private static partial void LogUnexpected(ILogger logger, int status);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "The auth URL could not be asked ({Error}): denied with 503")]
    private static partial void LogUnreachable(ILogger logger, string error);
}
