using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tessera.Server.Catalog;
using Tessera.Server.Jobs;

namespace Tessera.Cli.Commands;

/// <summary>The jobs API of a running server, with the admin key. A server that cannot be reached is an IOException
/// (one line, exit 2); an answer that is not a success is a <see cref="JobsApiException"/> with the server's reason.</summary>
internal sealed class JobsClient(Uri server, string? apiKey) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) })
    {
        BaseAddress = server,
        Timeout = Timeout.InfiniteTimeSpan, // watch streams for as long as the job runs; requests pass their own tokens
    };

    public Task<JobPage> ListAsync(string query, CancellationToken ct) => SendAsync(HttpMethod.Get, $"/api/jobs{query}", JobApiJson.Default.JobPage, ct);

    public Task<JobDocument> GetAsync(long id, CancellationToken ct) => SendAsync(HttpMethod.Get, $"/api/jobs/{id}", JobApiJson.Default.JobDocument, ct);

    public Task<JobDocument> ControlAsync(long id, string verb, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"/api/jobs/{id}/{verb}", JobApiJson.Default.JobDocument, ct);

    /// <summary>POST /api/catalog/{name}/sync: the catalog-sync job created, or the active one found.</summary>
    public Task<JobDocument> SyncCatalogAsync(string catalog, string mode, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"/api/catalog/{Uri.EscapeDataString(catalog)}/sync", JobApiJson.Default.JobDocument, ct,
            JsonContent.Create(new SyncBody(mode), CatalogJson.Default.SyncBody));

    public Task<CatalogStatusDocument> CatalogStatusAsync(string catalog, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"/api/catalog/{Uri.EscapeDataString(catalog)}", CatalogJson.Default.CatalogStatusDocument, ct);

    /// <summary>The job's events from GET /api/jobs/events?id=: its current state first, then each change, until the
    /// server ends the stream or <paramref name="ct"/> is cancelled.</summary>
    public async IAsyncEnumerable<JobDocument> WatchAsync(long id, [EnumeratorCancellation] CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, $"/api/jobs/events?id={id}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await ThrowUnlessSuccessAsync(response, ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        var kind = "message";
        var data = new List<string>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (kind == "job" && data.Count > 0 && JsonSerializer.Deserialize(string.Join('\n', data), JobApiJson.Default.JobDocument) is { } job)
                {
                    yield return job;
                }

                (kind, data) = ("message", []);
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                kind = line["event:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Add(line["data:".Length..].TrimStart());
            }
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, JsonTypeInfo<T> type, CancellationToken ct, HttpContent? content = null)
    {
        using var request = Request(method, path);
        request.Content = content;
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        await ThrowUnlessSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync(type, ct) ?? throw new JobsApiException(response.StatusCode, "the server answered an empty body");
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        try
        {
            return await _http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"cannot reach the server at {server}: {e.Message} (pass --server URL)", e);
        }
    }

    private static async Task ThrowUnlessSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var detail = response.ReasonPhrase ?? "failed";
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            if (problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String)
            {
                detail = d.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        throw new JobsApiException(response.StatusCode, detail);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The server answered, but not with a success: its status and reason.</summary>
internal sealed class JobsApiException(HttpStatusCode status, string detail) : Exception($"{detail} (HTTP {(int)status})")
{
    public HttpStatusCode Status { get; } = status;
}
