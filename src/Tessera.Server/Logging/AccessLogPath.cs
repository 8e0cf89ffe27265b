using Tessera.Core.Redaction;

namespace Tessera.Server.Logging;

/// <summary>A request's path and query as the access log shows them: the signature segment of /r/ URLs and the values of
/// secret-looking query keys (sig, token, key, …) masked.</summary>
internal static class AccessLogPath
{
    public static string Redact(string? path, string? query)
    {
        path ??= "/";
        if (path.StartsWith("/r/", StringComparison.Ordinal))
        {
            var end = path.IndexOf('/', 3);
            path = "/r/" + Redactor.Mask + (end < 0 ? string.Empty : path[end..]);
        }

        // The redactor masks query values of a URL; a path alone is no URL to it, so it gets a stand-in host.
        return string.IsNullOrEmpty(query) ? path : Redactor.Url("http://h" + path + query)["http://h".Length..];
    }
}
