using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Tessera.Core.Catalog.Stash;

/// <summary>Posts GraphQL operations to one Stash server: paced, with a timeout, retried with backoff while the failure
/// is transient (5xx, 408/429, timeouts, refused or dropped connections). Validation errors (HTTP 422, or <c>errors</c>
/// in a 200) and a refused key fail at once. The API key goes only into the <c>ApiKey</c> header: no message, log or
/// exception carries it.</summary>
internal sealed class StashClient : IDisposable
{
    private const string ApiKeyHeader = "ApiKey";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly StashOptions _options;
    private readonly ILogger _logger;
    private readonly StashPace _pace;
    private readonly ResiliencePipeline _retry;

    public StashClient(HttpClient http, StashOptions options, TimeProvider time, ILogger logger)
    {
        _http = http;
        _options = options;
        _logger = logger;
        _pace = new StashPace(options.Pace, time);
        _retry = options.MaxRetries <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is UpstreamException { Transient: true }),
                OnRetry = args =>
                {
                    StashLog.Retrying(_logger, "request", args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message ?? "");
                    return default;
                },
            })
            .Build();
    }

    public void Authorize(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.Remove(ApiKeyHeader);
            request.Headers.TryAddWithoutValidation(ApiKeyHeader, _options.ApiKey);
        }
    }

    /// <summary>Runs <paramref name="query"/> and hands <c>data.{root}</c> to <paramref name="read"/> while the response is parsed.</summary>
    public async Task<T> QueryAsync<T>(string root, string query, Action<Utf8JsonWriter> writeVariables, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var body = Body(query, writeVariables);
        try
        {
            return await _retry.ExecuteAsync(
                async token => await AttemptAsync(root, body, read, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (UpstreamException e)
        {
            StashLog.Failed(_logger, root, e.Message);
            throw;
        }
    }

    private async Task<T> AttemptAsync<T>(string root, byte[] body, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        await _pace.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.GraphQlEndpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        Authorize(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await ReadAsync(root, response, stream, read, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamException($"Stash did not answer {root} within {_options.Timeout.TotalSeconds:0.#} s", transient: true, e);
        }
        catch (HttpRequestException e)
        {
            throw new UpstreamException($"Stash could not be reached for {root}: {e.Message}", transient: true, e);
        }
        catch (IOException e)
        {
            throw new UpstreamException($"Stash dropped the connection during {root}: {e.Message}", transient: true, e);
        }
    }

    private static async Task<T> ReadAsync<T>(string root, HttpResponseMessage response, Stream stream, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is 401 or 403)
        {
            throw new UpstreamException($"Stash refused {root} (HTTP {status}): check the catalog's API key", transient: false);
        }

        if (status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
        {
            throw new UpstreamException($"Stash answered {root} with HTTP {status}", transient: true);
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new UpstreamException(
                $"Stash answered {root} with HTTP {status} and no GraphQL JSON ({response.Content.Headers.ContentType?.MediaType ?? "no type"}): is the URL a Stash server and the API key right?",
                transient: false, e);
        }

        using (document)
        {
            var rootElement = document.RootElement;
            if (rootElement.ValueKind == JsonValueKind.Object && rootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                throw new UpstreamException($"Stash rejected {root} (HTTP {status}): {Messages(errors)}", transient: false);
            }

            if (status is < 200 or > 299)
            {
                throw new UpstreamException($"Stash answered {root} with HTTP {status}", transient: false);
            }

            if (rootElement.ValueKind != JsonValueKind.Object || !rootElement.TryGetProperty("data", out var data)
                || data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(root, out var value))
            {
                throw new UpstreamException($"Stash answered {root} without data.{root}", transient: false);
            }

            try
            {
                return read(value);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                throw new UpstreamException($"Stash's answer to {root} could not be read: {e.Message}", transient: false, e);
            }
        }
    }

    private static string Messages(JsonElement errors) => string.Join("; ", errors.EnumerateArray()
        .Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null)
        .Where(m => !string.IsNullOrEmpty(m))
        .Take(3));

    private static byte[] Body(string query, Action<Utf8JsonWriter> writeVariables)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("query", query);
            writer.WritePropertyName("variables");
            writer.WriteStartObject();
            writeVariables(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public void Dispose() => _pace.Dispose();
}
