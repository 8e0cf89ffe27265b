using Microsoft.AspNetCore.Http;

namespace Tessera.Server.Dashboard;

/// <summary>Whether a request comes from a page of this server, so a session cookie is honoured only there (the
/// cookie is SameSite=Strict too). The browser's own Sec-Fetch-Site is believed first — it stays right behind a proxy
/// that rewrites Host; without it the Origin must be this host's; a request with neither is only trusted for reads.</summary>
internal static class SameOrigin
{
    public static bool Check(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        var safe = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        if (site.Length > 0)
        {
            // "none": typed in the address bar or a bookmark, never a state change from another page.
            return site == "same-origin" || (site == "none" && safe);
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
        }

        return safe;
    }
}
