using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Core;
using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Server.OpenApi;

namespace Tessera.Server.Endpoints;

/// <summary>POST /api/cache/clear and DELETE /api/files/{library}/{*path}, behind the admin API key.</summary>
internal static class AdminEndpoints
{
    public static void MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api").AddEndpointFilter(RequireApiKey).AdminOnly();

        admin.MapPost("/cache/clear", async (CacheAdmin admin, PresetCatalog presets, IReadOnlyDictionary<string, FolderLibrary> libraries, TesseraOptions options, string? preset, string? library, CancellationToken ct) =>
        {
            if (preset is not null && !presets.TryGet(preset, out _))
            {
                return Results.Problem(detail: $"unknown preset '{preset}'", statusCode: StatusCodes.Status400BadRequest);
            }

            if (library is not null && !libraries.ContainsKey(library) && !options.Providers.ContainsKey(library))
            {
                return Results.Problem(detail: $"unknown library '{library}'", statusCode: StatusCodes.Status404NotFound);
            }

            var result = await admin.ClearAsync(preset, library, ct);
            return Results.Json(result, ResponseJson.Default.ClearResult);
        }).Produces<ClearResult>().Problems(400, 404)
        .Describe("Cache", "Remove renditions", "All, one preset's, or one library's (for a library of registered items: what was downloaded from its provider templates).");

        // A file or folder of a library, whether or not it still exists: nothing is read, the path names what to forget.
        admin.MapDelete("/files/{library}/{**path}", (CacheAdmin admin, IReadOnlyDictionary<string, FolderLibrary> libraries, string library, string path,
            CancellationToken ct) => ItemAdminEndpoints.PurgePathAsync(admin, libraries, library, path, ct))
            .Produces<ClearResult>().Problems(400, 404)
            .Describe("Cache", "Purge a file or folder of a library", "Its renditions, fingerprint and negative entry; a deleted file is purged by its path.");
    }

    internal static async ValueTask<object?> RequireApiKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var expected = ExpectedKey(http);
        if (string.IsNullOrEmpty(expected))
        {
            return Results.Problem(detail: "the admin API is disabled: configure an API key (--api-key or TESSERA_API_KEY)", statusCode: StatusCodes.Status403Forbidden);
        }

        if (!HasAdminKey(http))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(detail: "a valid API key is required (X-Api-Key header or Bearer token, or the dashboard's sign-in)", statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context);
    }

    /// <summary>Whether the request carries the configured admin key (X-Api-Key or a Bearer token), or is the dashboard's
    /// own page with a signed-in session cookie; false when no key is configured.</summary>
    internal static bool HasAdminKey(HttpContext http)
    {
        var expected = ExpectedKey(http);
        if (string.IsNullOrEmpty(expected))
        {
            return false;
        }

        var given = http.Request.Headers["X-Api-Key"].ToString();
        var auth = http.Request.Headers.Authorization.ToString();
        if (given.Length == 0 && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            given = auth["Bearer ".Length..].Trim();
        }

        return (given.Length > 0 && SameSecret(given, expected)) || Dashboard.DashboardSignIn.HasSession(http);
    }

    /// <summary>Whether <paramref name="given"/> is the configured admin key (false when none is configured).</summary>
    internal static bool IsAdminKey(HttpContext http, string given)
    {
        var expected = ExpectedKey(http);
        return !string.IsNullOrEmpty(expected) && SameSecret(given, expected);
    }

    private static string? ExpectedKey(HttpContext http) =>
        http.RequestServices.GetService(typeof(TesseraOptions)) is TesseraOptions options ? options.AdminApiKey : null;

    /// <summary>Constant-time comparison; hashing first makes the lengths equal and hides the key's length.</summary>
    private static bool SameSecret(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
