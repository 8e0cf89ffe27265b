using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Tessera.Server.Dashboard;

/// <summary>The operator's dashboard: the page at /, its files under /dashboard/, its sign-in, the stats history and
/// the library browser's routes.</summary>
internal static class DashboardEndpoints
{
    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], (HttpContext http, DashboardAssets assets) => assets.Serve(http, "index.html"))
            .WithName("Dashboard").WithSummary("The operator's dashboard (HTML)").Produces(StatusCodes.Status200OK, contentType: "text/html")
            .Produces(StatusCodes.Status304NotModified);
        app.MapMethods("/dashboard/{file}", [HttpMethods.Get, HttpMethods.Head], (HttpContext http, DashboardAssets assets, string file) => assets.Serve(http, file))
            .WithName("DashboardFile").WithSummary("A file of the dashboard (script, style sheet, icon)")
            .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound);
        app.MapDashboardSession();
        app.MapDashboardApi();
    }

    /// <summary>The JSON routes the page uses that stand on their own: the stats history and the library browser.</summary>
    public static void MapDashboardApi(this IEndpointRouteBuilder app)
    {
        app.MapStatsHistory();
        app.MapLibraryBrowser();
    }
}
