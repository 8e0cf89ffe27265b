using System.Net;
using System.Text.Json;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Dashboard;

/// <summary>Dashboard:Enabled false: MapTessera leaves / to the app (a JSON 404 in the standalone server), maps no page
/// files and no sign-in, and the JSON API answers as before.</summary>
public sealed class DashboardOptOutTests
{
    [Fact]
    public async Task WithTheDashboardOff_SlashIsA404Problem_AndTheApiStillAnswers()
    {
        await using var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 64, 64), o =>
        {
            o.AdminApiKey = TesseraHost.AdminKey;
            o.DashboardEnabled = false;
        });

        foreach (var path in new[] { "/", "/dashboard/app.js" })
        {
            using var response = await host.Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        }

        using (var session = await host.Client.PostAsync(new Uri("/api/session", UriKind.Relative), new FormUrlEncodedContent([new("key", TesseraHost.AdminKey)])))
        {
            Assert.Equal(HttpStatusCode.NotFound, session.StatusCode);
        }

        using (var stats = await host.GetAsAdminAsync("/api/stats"))
        {
            Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        }

        using (var libraries = await host.GetAsAdminAsync("/api/libraries"))
        {
            Assert.Equal(HttpStatusCode.OK, libraries.StatusCode);
        }

        using var thumb = await host.Client.GetAsync(new Uri("/t/lib/thumb/a.jpg", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, thumb.StatusCode);
    }

    [Fact]
    public async Task ByDefault_SlashIsTheDashboard()
    {
        await using var host = await TesseraHost.StartAsync(_ => { });
        using var response = await host.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
