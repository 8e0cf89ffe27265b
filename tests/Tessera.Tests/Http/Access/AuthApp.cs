using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.Tests.Remote;

namespace Tessera.Tests.Http.Access;

/// <summary>A loopback stand-in for an app's auth URL (GET /auth): "Bearer alice" and the cookie "session=alice" are
/// allowed and named alice, "Bearer bob" allowed as bob, "Bearer anon" allowed with no user, "Bearer forbidden" 403,
/// "Bearer broken" 500, anything else 401. With <c>hold</c>, every answer first waits for the task it returns.</summary>
internal static class AuthApp
{
    public static Task<Upstream> StartAsync(Func<Task>? hold = null) => Upstream.StartAsync((app, _) =>
        app.MapGet("/auth", async (HttpContext c) =>
        {
            if (hold is not null)
            {
                await hold();
            }

            var auth = c.Request.Headers.Authorization.ToString();
            var cookie = c.Request.Headers.Cookie.ToString();
            var user = auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : cookie.StartsWith("session=", StringComparison.Ordinal) ? cookie[8..] : "";
            switch (user)
            {
                case "alice" or "bob":
                    c.Response.Headers["X-Tessera-User"] = user;
                    return Results.Ok();
                case "anon":
                    return Results.Ok();
                case "forbidden":
                    return Results.StatusCode(403);
                case "broken":
                    return Results.StatusCode(500);
                default:
                    return Results.StatusCode(401);
            }
        }));

    public static HttpRequestMessage Get(string path, string? bearer = null, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return request;
    }
}
