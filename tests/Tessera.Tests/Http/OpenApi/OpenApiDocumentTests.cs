using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Tessera.Tests.Http.OpenApi;

/// <summary>/openapi/v1.json against what the real server maps: every route and method is described, with a summary.</summary>
public sealed partial class OpenApiDocumentTests
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\{[^}]+\}")]
    private static partial System.Text.RegularExpressions.Regex ParameterName();

    [Fact]
    public async Task Document_IsValidOpenApi3_AndListsEveryMappedRoute()
    {
        await using var host = await TesseraHost.StartAsync(_ => { });
        var (json, document) = await ReadAsync(host);

        Assert.StartsWith("3.", json.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        // Up to parameter names: OpenAPI keeps one path item for /api/items/{library}/{id}/{role} and /api/items/{library}/{first}/{rest}.
        var mapped = MappedOperations(host);
        Assert.True(mapped.Count > 40, $"only {mapped.Count} routes found in the endpoint data source");
        var documented = DocumentedOperations(json);
        var missing = mapped.Except(documented).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "mapped but not in /openapi/v1.json: " + string.Join(", ", missing));
        var extra = documented.Except(mapped).Order(StringComparer.Ordinal).ToList();
        Assert.True(extra.Count == 0, "in /openapi/v1.json but not mapped: " + string.Join(", ", extra));

        var errors = document.Validate(Microsoft.OpenApi.ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(errors.Count == 0, "invalid document: " + string.Join("; ", errors.Select(e => $"{e.Pointer}: {e.Message}")));
    }

    [Fact]
    public async Task EveryOperation_HasASummary_AndItsAnswers()
    {
        await using var host = await TesseraHost.StartAsync(_ => { });
        var (json, _) = await ReadAsync(host);
        foreach (var (name, operation) in Operations(json))
        {
            Assert.True(operation.TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 5, $"{name} has no summary");
            Assert.True(operation.GetProperty("responses").EnumerateObject().Any(), $"{name} has no responses");
        }

        var thumbnail = Operation(json, "/t/{library}/{preset}/{path}", "get");
        var ok = thumbnail.GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(ok.TryGetProperty("image/webp", out _) && ok.TryGetProperty("image/avif", out _), "image routes answer image/webp, image/avif, …");
        foreach (var status in new[] { "304", "400", "404", "429" })
        {
            Assert.True(thumbnail.GetProperty("responses").TryGetProperty(status, out _), $"the thumbnail route lists {status}");
        }

        Assert.Contains(thumbnail.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "format" && p.GetProperty("in").GetString() == "query");

        var createJob = Operation(json, "/api/jobs", "post");
        Assert.True(createJob.GetProperty("responses").TryGetProperty("202", out _));
        Assert.True(createJob.GetProperty("responses").TryGetProperty("401", out var unauthorized), "admin routes list 401");
        Assert.True(unauthorized.GetProperty("content").TryGetProperty("application/problem+json", out _), "401 is problem details");
        Assert.True(createJob.TryGetProperty("security", out _), "admin routes carry the key's security requirement");
        var body = createJob.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var properties = Resolve(json, body).GetProperty("properties");
        Assert.True(properties.TryGetProperty("kind", out _) && properties.TryGetProperty("library", out _), "the job body's schema comes from JobBody");

        Assert.False(Operation(json, "/t/{library}/{preset}/{path}", "get").TryGetProperty("security", out _), "image routes are public");
        var browse = Operation(json, "/api/catalog/{name}/{type}", "get");
        Assert.Contains(browse.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "perPage");
    }

    private static async Task<(JsonDocument Json, OpenApiDocument Document)> ReadAsync(TesseraHost host)
    {
        using var response = await host.Client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(200, (int)response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var read = OpenApiDocument.Parse(text, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.True(read.Diagnostic is null || read.Diagnostic.Errors.Count == 0,
            "the document does not parse: " + string.Join("; ", read.Diagnostic?.Errors.Select(e => $"{e.Pointer}: {e.Message}") ?? []));
        return (JsonDocument.Parse(text), read.Document!);
    }

    /// <summary>"GET /api/jobs/{id}" for every route endpoint: parameters without constraints or catch-all stars, as
    /// OpenAPI writes them. An endpoint without method metadata (health checks) answers every method; GET stands for it.</summary>
    private static HashSet<string> MappedOperations(TesseraHost host)
    {
        var operations = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var path = Path(endpoint.RoutePattern);
            if (path.StartsWith("/openapi/", StringComparison.Ordinal))
            {
                continue; // the document itself
            }

            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                operations.Add($"{method} {Signature(path)}");
            }
        }

        return operations;
    }

    private static string Path(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => throw new InvalidOperationException(p.ToString()),
        }))));

    private static HashSet<string> DocumentedOperations(JsonDocument json) =>
        [.. Operations(json).Select(o => o.Name.Split(' ')[0] + " " + Signature(o.Name.Split(' ')[1]))];

    private static string Signature(string path) => ParameterName().Replace(path, "{}");

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonDocument json)
    {
        foreach (var path in json.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject().Where(m => HttpMethods.IsGet(m.Name) || HttpMethods.IsHead(m.Name) || HttpMethods.IsPost(m.Name)
                         || HttpMethods.IsPut(m.Name) || HttpMethods.IsDelete(m.Name) || HttpMethods.IsPatch(m.Name)))
            {
                yield return ($"{method.Name.ToUpperInvariant()} {path.Name}", method.Value);
            }
        }
    }

    private static JsonElement Operation(JsonDocument json, string path, string method) =>
        json.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static JsonElement Resolve(JsonDocument json, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? json.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!["#/components/schemas/".Length..])
            : schema;
}
