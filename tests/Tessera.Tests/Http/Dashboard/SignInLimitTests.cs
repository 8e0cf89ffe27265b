using System.Net;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Dashboard;

public sealed class SignInLimitTests
{
    [Fact]
    public async Task WrongKeys_CountAgainstTheApiLimit_LikeEveryAdminCall()
    {
        await using var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 64, 64), o =>
        {
            o.AdminApiKey = TesseraHost.AdminKey;
            o.Limits.ApiPerMinute = 3;
        });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = new FormUrlEncodedContent([new("key", $"guess-{i}")]) };
            request.Headers.Add("Sec-Fetch-Site", "same-origin");
            using var response = await host.Client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }
}
