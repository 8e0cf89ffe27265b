using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Tessera.Core;
using Tessera.Server.Endpoints;
using Tessera.Server.OpenApi;

namespace Tessera.Server.Dashboard;

/// <summary>The dashboard's sign-in: POST /api/session (a form with the admin key) starts a session, DELETE
/// /api/session ends it, GET /api/session says whether the caller is signed in. Under /api/, so wrong keys count against
/// the same per-client limit as every admin call (Limits:ApiPerMinute). A form posted by the browser itself (no script)
/// is answered with a redirect to the page; a script's call with a status.</summary>
internal static partial class SessionEndpoints
{
    private const int MaxForm = 4096;

    public static void MapDashboardSession(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/session", SignInAsync)
            .WithName("SignIn").WithSummary("Signs in to the dashboard with the admin key (form field 'key'); sets the session cookie")
            .WithMetadata(new FormBodyMetadata("key")) // described only: Accepts<T> would answer 415 before the handler's own 400
            .Produces(StatusCodes.Status204NoContent).Produces(StatusCodes.Status303SeeOther)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .DisableAntiforgery();
        app.MapDelete("/api/session", SignOut)
            .WithName("SignOut").WithSummary("Ends the dashboard session and clears its cookie")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status403Forbidden);
        app.MapGet("/api/session", (HttpContext http, TesseraOptions options) =>
                Results.Json(new SessionDocument(DashboardSignIn.HasSession(http), !string.IsNullOrEmpty(options.AdminApiKey)), DashboardJson.Default.SessionDocument))
            .WithName("GetSession").WithSummary("Whether the caller is signed in to the dashboard, and whether the admin API is enabled")
            .Produces<SessionDocument>();
    }

    private static async Task<IResult> SignInAsync(HttpContext http, DashboardSessions sessions, TesseraOptions options, ILogger<DashboardSessions> logger)
    {
        var navigate = http.Request.Headers["Sec-Fetch-Mode"] == "navigate";
        if (!SameOrigin.Check(http.Request))
        {
            return Results.Problem(detail: "sign-in is only accepted from the dashboard's own page", statusCode: StatusCodes.Status403Forbidden);
        }

        if (string.IsNullOrEmpty(options.AdminApiKey))
        {
            return Results.Problem(detail: "the admin API is disabled: configure an API key (--api-key or TESSERA_API_KEY)", statusCode: StatusCodes.Status403Forbidden);
        }

        if (!http.Request.HasFormContentType || http.Request.ContentLength is > MaxForm)
        {
            return Results.Problem(detail: "send the admin key as a form field 'key' (application/x-www-form-urlencoded)", statusCode: StatusCodes.Status400BadRequest);
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var key = form["key"].ToString();
        if (key.Length == 0 || !AdminEndpoints.IsAdminKey(http, key))
        {
            Refused(logger, client);
            return navigate
                ? SeeOther(http, "/?signin=refused")
                : Results.Problem(detail: "wrong admin key", statusCode: StatusCodes.Status401Unauthorized);
        }

        DashboardSignIn.SetCookie(http, sessions.Start());
        SignedIn(logger, client);
        return navigate ? SeeOther(http, "/") : Results.NoContent();
    }

    private static IResult SignOut(HttpContext http, DashboardSessions sessions)
    {
        if (!SameOrigin.Check(http.Request))
        {
            return Results.Problem(detail: "sign-out is only accepted from the dashboard's own page", statusCode: StatusCodes.Status403Forbidden);
        }

        sessions.End(http.Request.Cookies[DashboardSessions.CookieName]);
        DashboardSignIn.ClearCookie(http);
        return Results.NoContent();
    }

    /// <summary>303: the browser follows with a GET of the page, so a reload never posts the key again.</summary>
    private static IResult SeeOther(HttpContext http, string location)
    {
        http.Response.Headers.Location = location;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    [LoggerMessage(EventId = 7500, Level = LogLevel.Information, EventName = "DashboardSignIn", Message = "Dashboard sign-in from {Client}")]
    private static partial void SignedIn(ILogger logger, string client);

    [LoggerMessage(EventId = 7501, Level = LogLevel.Warning, EventName = "DashboardSignInRefused", Message = "Dashboard sign-in refused from {Client}: wrong admin key")]
    private static partial void Refused(ILogger logger, string client);
}
