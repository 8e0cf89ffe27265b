using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;

namespace Tessera.Core.Remote;

public sealed partial class RemoteFetcher
{
    /// <summary>One request to one URL, body included, under the per-host limit and the per-attempt timeout.</summary>
    private async ValueTask<Attempt> AttemptAsync(Uri url, RemoteValidators? validators, StrongBox<int> tries, CancellationToken ct)
    {
        var host = HostPattern.Normalize(url.IdnHost);
        if (await _pacer.WaitTurnAsync(host, ct) is { } paced)
        {
            return new Attempt.Done(paced);
        }

        using var lease = await _hosts.EnterAsync(host, ct);
        tries.Value++;
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        using var request = NewRequest(url, validators);
        var reached = true;
        try
        {
            using var client = _factory.CreateClient(_clientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return await ClassifyAsync(url, response, validators, linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Attempt.Retryable(url, new FetchResult.Failed(RemoteFailure.Timeout, $"no complete response from {url.Authority} within {_options.Timeout.TotalSeconds:0.###} s"));
        }
        catch (HttpRequestException e) when (Find<RemoteBlockedException>(e) is { } blocked)
        {
            reached = false;
            return Done(RemoteFailure.Blocked, blocked.Message);
        }
        catch (HttpRequestException e)
        {
            return Classify(url, e);
        }
        catch (IOException e)
        {
            // The body broke off mid-way (reset, premature close).
            return new Attempt.Retryable(url, new FetchResult.Failed(RemoteFailure.Upstream, $"connection to {url.Authority} broke while reading: {e.Message}"));
        }
        finally
        {
            if (reached)
            {
                Interlocked.Increment(ref _requests);
            }
        }
    }

    private HttpRequestMessage NewRequest(Uri url, RemoteValidators? validators)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        request.Headers.TryAddWithoutValidation("Accept", "image/avif,image/webp,image/*;q=0.9,*/*;q=0.5");
        if (validators?.ETag is { Length: > 0 } etag)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }

        if (validators?.LastModified is { } lastModified)
        {
            request.Headers.IfModifiedSince = lastModified;
        }

        _credentials?.Invoke(url)?.Invoke(request);
        return request;
    }

    private async Task<Attempt> ClassifyAsync(Uri url, HttpResponseMessage response, RemoteValidators? validators, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var now = _time.GetUtcNow();
        switch (status)
        {
            case 304 when validators is not null:
                return new Attempt.Done(new FetchResult.NotModified(
                    CacheHeaders.ETag(response.Headers) ?? validators.ETag,
                    response.Content.Headers.LastModified ?? validators.LastModified,
                    CacheHeaders.MaxAge(response, now)));

            case 301 or 302 or 303 or 307 or 308:
                return response.Headers.Location is { } location && Uri.TryCreate(url, location, out var next)
                    ? new Attempt.Redirect(next, status)
                    : Done(RemoteFailure.Upstream, $"HTTP {status} from {url.Authority} without a usable Location");

            case 404 or 410:
                return Done(RemoteFailure.NotFound, $"HTTP {status} from {url.Authority}");

            case 408 or 429 or >= 500:
                var retryAfter = CacheHeaders.RetryAfter(response, now);
                var failure = new FetchResult.Failed(RemoteFailure.Upstream, $"HTTP {status} {response.ReasonPhrase} from {url.Authority}", retryAfter);
                return retryAfter > _options.MaxRetryAfter
                    ? new Attempt.Done(failure with { Detail = $"{failure.Detail}; Retry-After {retryAfter} exceeds MaxRetryAfter" })
                    : new Attempt.Retryable(url, failure);

            case >= 200 and < 300 and not 206:
                var body = await BodyReader.ReadAsync(response.Content, _options.MaxBytes, ct);
                return body.Failure is { } bad
                    ? new Attempt.Done(bad)
                    : new Attempt.Done(new FetchResult.Fetched(body.Bytes!, body.MediaType!, CacheHeaders.ETag(response.Headers), response.Content.Headers.LastModified, CacheHeaders.MaxAge(response, now), url));

            default:
                return Done(RemoteFailure.Upstream, $"HTTP {status} {response.ReasonPhrase} from {url.Authority}");
        }
    }

    /// <summary>Name resolution, TLS and protocol errors will not go away on retry; broken connections might.</summary>
    private static Attempt Classify(Uri url, HttpRequestException e)
    {
        if (e.HttpRequestError == HttpRequestError.NameResolutionError || Find<SocketException>(e) is { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData })
        {
            return Done(RemoteFailure.Upstream, $"DNS: host '{url.IdnHost}' not found");
        }

        if (e.HttpRequestError == HttpRequestError.SecureConnectionError || Find<AuthenticationException>(e) is not null)
        {
            return Done(RemoteFailure.Upstream, $"TLS with {url.Authority} failed: {Innermost(e).Message}");
        }

        if (e.HttpRequestError is HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError or HttpRequestError.ConfigurationLimitExceeded)
        {
            return Done(RemoteFailure.Upstream, $"malformed response from {url.Authority}: {Innermost(e).Message}");
        }

        return new Attempt.Retryable(url, new FetchResult.Failed(RemoteFailure.Upstream, $"connection to {url.Authority} failed: {Innermost(e).Message}"));
    }

    private static Attempt.Done Done(RemoteFailure kind, string detail) => new(new FetchResult.Failed(kind, detail));

    private static T? Find<T>(Exception e)
        where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
