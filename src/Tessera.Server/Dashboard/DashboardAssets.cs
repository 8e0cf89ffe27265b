using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Tessera.Server.Dashboard;

/// <summary>The dashboard's files, embedded in the assembly (no file system, no reflection: NativeAOT keeps manifest
/// resources), each with a strong ETag from its bytes. They are answered with <c>Cache-Control: no-cache</c> (a
/// revalidation is a 304) and a Content-Security-Policy that allows only this origin's scripts, styles and images.</summary>
internal sealed class DashboardAssets
{
    public const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("dashboard/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var name = resource["dashboard/".Length..];
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"";
            _assets[name] = new Asset(bytes, Types.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream"), etag);
        }
    }

    public IEnumerable<string> Names => _assets.Keys;

    /// <summary>Answers GET or HEAD of one asset: 200 with the bytes, 304 when If-None-Match names its ETag, 404 when
    /// there is no such file.</summary>
    public IResult Serve(HttpContext http, string name)
    {
        if (!_assets.TryGetValue(name, out var asset))
        {
            return Results.Problem(detail: $"no dashboard file '{name}'", statusCode: StatusCodes.Status404NotFound);
        }

        var headers = http.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        if (http.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } match && match.Any(m => m.Equals(EntityTagHeaderValue.Any) || m.Tag == asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return HttpMethods.IsHead(http.Request.Method)
            ? new HeadResult(asset.ContentType, asset.Bytes.Length)
            : Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);

    private sealed class HeadResult(string contentType, long length) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = contentType;
            httpContext.Response.ContentLength = length;
            return Task.CompletedTask;
        }
    }
}
