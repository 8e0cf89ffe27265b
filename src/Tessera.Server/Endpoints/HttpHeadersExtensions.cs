using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Tessera.Server.Endpoints;

internal static class HttpHeadersExtensions
{
    /// <summary>True when If-None-Match names this strong ETag (or is "*").</summary>
    public static bool MatchesETag(this HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0)
        {
            return false;
        }

        foreach (var value in header)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var candidate in value.Split(','))
            {
                var c = candidate.Trim();
                if (c == "*" || c == etag || c == "W/" + etag)
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static Task WriteImageAsync(this HttpResponse response, byte[] bytes, string contentType, CancellationToken cancellationToken)
    {
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, cancellationToken).AsTask();
    }

    public static void SetVaryAccept(this HttpResponse response) => response.Headers[HeaderNames.Vary] = "Accept";
}
