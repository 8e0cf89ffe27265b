using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Remote;

/// <summary>The routes of the test provider: images, errors, flaky and slow responses, redirects.</summary>
public static class ProviderRoutes
{
    public static readonly DateTimeOffset LastModified = new(2024, 6, 1, 8, 30, 0, TimeSpan.Zero);

    public static byte[] Png { get; } = MakePng();

    public static byte[] Jpeg { get; } = Images.SolidJpeg(16, 12, 10, 120, 200);

    public static void Map(WebApplication app, Upstream upstream)
    {
        var once = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        bool First(string path) => once.AddOrUpdate(path, 1, (_, n) => n + 1) == 1;

        app.MapGet("/img.png", (HttpContext c) =>
        {
            c.Response.Headers.ETag = "\"v1\"";
            c.Response.Headers.CacheControl = "max-age=3600";
            c.Response.Headers.LastModified = LastModified.ToString("R");
            if (c.Request.Headers.IfNoneMatch == "\"v1\"")
            {
                c.Response.Headers.CacheControl = "max-age=60";
                return Results.StatusCode(304);
            }

            return Results.Bytes(Png, "image/png");
        });
        app.MapGet("/set-cookie", (HttpContext c) =>
        {
            c.Response.Headers.SetCookie = "session=tracked; Path=/";
            return Results.Bytes(Png, "image/png");
        });
        app.MapGet("/jpeg-as-html", () => Results.Bytes(Jpeg, "text/html"));
        app.MapGet("/html-as-jpeg", () => Results.Bytes("<!doctype html><html><body>not an image</body></html>"u8.ToArray(), "image/jpeg"));
        app.MapGet("/svg", () => Results.Bytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"file:///etc/passwd\"/></svg>"u8.ToArray(), "image/svg+xml"));
        app.MapGet("/empty", () => Results.Bytes([], "image/png"));
        app.MapGet("/missing", () => Results.NotFound());
        app.MapGet("/gone", () => Results.StatusCode(410));
        app.MapGet("/forbidden", () => Results.StatusCode(403));
        app.MapGet("/always-500", () => Results.StatusCode(500));
        app.MapGet("/flaky", () => First("/flaky") ? Results.StatusCode(500) : Results.Bytes(Png, "image/png"));
        app.MapGet("/busy", (HttpContext c) =>
        {
            if (!First("/busy"))
            {
                return Results.Bytes(Png, "image/png");
            }

            c.Response.Headers.RetryAfter = "1";
            return Results.StatusCode(503);
        });
        app.MapGet("/busy-long", (HttpContext c) =>
        {
            c.Response.Headers.RetryAfter = "3600";
            return Results.StatusCode(503);
        });
        app.MapGet("/slow-body", async (HttpContext c) =>
        {
            c.Response.ContentType = "image/jpeg";
            await c.Response.Body.WriteAsync(Jpeg.AsMemory(0, 3));
            await c.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, c.RequestAborted);
        });
        app.MapGet("/slow-headers", async (HttpContext c) => await Task.Delay(Timeout.Infinite, c.RequestAborted));
        app.MapGet("/declared-large", async (HttpContext c) =>
        {
            // Only headers: a client that tried to read this body would time out instead of seeing TooLarge.
            c.Response.ContentType = "image/png";
            c.Response.ContentLength = long.Parse(c.Request.Query["length"]!);
            await c.Response.StartAsync();
            await c.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, c.RequestAborted);
        });
        app.MapGet("/endless", async (HttpContext c) =>
        {
            c.Response.ContentType = "image/png";
            await c.Response.Body.WriteAsync(Png.AsMemory(0, 8));
            var filler = new byte[8192];
            while (!c.RequestAborted.IsCancellationRequested)
            {
                await c.Response.Body.WriteAsync(filler, c.RequestAborted);
            }
        });
        app.MapGet("/chunked", async (HttpContext c) =>
        {
            c.Response.ContentType = "application/octet-stream";
            await c.Response.Body.WriteAsync(Png.AsMemory(0, 10));
            await c.Response.Body.FlushAsync();
            await c.Response.Body.WriteAsync(Png.AsMemory(10));
        });
        app.MapGet("/redirect/{n:int}", (int n, HttpContext c) =>
        {
            if (n == 0)
            {
                return Results.Bytes(Png, "image/png");
            }

            // Alternate relative and absolute Location headers.
            var next = $"/redirect/{n - 1}";
            return Results.Redirect(n % 2 == 0 ? next : new Uri(upstream.BaseAddress, next).AbsoluteUri);
        });
        app.MapGet("/to", (HttpContext c) =>
        {
            if (c.Request.Query["url"].ToString() is { Length: > 0 } location)
            {
                c.Response.Headers.Location = location;
            }

            return Results.StatusCode(int.TryParse(c.Request.Query["status"], out var status) ? status : 302);
        });
        app.MapGet("/expires", (HttpContext c) =>
        {
            var date = DateTimeOffset.UtcNow;
            c.Response.Headers.Date = date.ToString("R");
            c.Response.Headers.Expires = date.AddSeconds(120).ToString("R");
            return Results.Bytes(Png, "image/png");
        });
        app.MapGet("/no-store", (HttpContext c) =>
        {
            c.Response.Headers.CacheControl = "no-store";
            return Results.Bytes(Png, "image/png");
        });
        app.MapGet("/echo-conditional", (HttpContext c) =>
            c.Request.Headers[HeaderNames.IfModifiedSince].Count > 0 ? Results.StatusCode(304) : Results.Bytes(Png, "image/png"));
    }

    private static byte[] MakePng()
    {
        using var image = VipsImage.Solid(8, 8, 30, 160, 90);
        return image.Save(new SaveOptions(ImageFormat.Png));
    }
}
