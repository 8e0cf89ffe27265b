using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.Server.Dashboard;

/// <summary>The dashboard's session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS, holding a session id (never
/// the key). An admin route accepts it in place of the key only from the dashboard's own origin.</summary>
internal static class DashboardSignIn
{
    /// <summary>Whether the request carries a live session cookie and comes from this server's own pages.</summary>
    public static bool HasSession(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(DashboardSessions.CookieName, out var id) || string.IsNullOrEmpty(id))
        {
            return false;
        }

        return http.RequestServices.GetService<DashboardSessions>() is { } sessions && sessions.IsValid(id) && SameOrigin.Check(http.Request);
    }

    public static void SetCookie(HttpContext http, string id) =>
        http.Response.Cookies.Append(DashboardSessions.CookieName, id, Options(http, DashboardSessions.Lifetime));

    public static void ClearCookie(HttpContext http) =>
        http.Response.Cookies.Delete(DashboardSessions.CookieName, Options(http, null));

    private static CookieOptions Options(HttpContext http, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        MaxAge = maxAge,
        IsEssential = true,
    };
}
