using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Core.Access;
using Tessera.Core.Catalog;
using Tessera.Core.Items;
using Tessera.Core.Manifest;
using Tessera.Core.Presets;
using Tessera.Core.Signing;
using Tessera.Core.Sources;
using Tessera.Server.Access;
using Tessera.Server.OpenApi;

namespace Tessera.Server.Endpoints;

/// <summary>POST /api/manifest: for up to 1,000 ids or paths of one library, each item's URL (signed for a signed
/// library), ETag, size and preview, so an app can lay out a grid before any image arrives. Nothing is generated,
/// fetched or written. Who may ask follows the library's access mode: public → anyone; signed → the admin key only
/// (the answer hands out signed URLs); forward → the request's own credentials, asked of the app as for an image.</summary>
internal static class ManifestEndpoints
{
    private const int BodyCap = 1024 * 1024;
    private const string Expected = "expected a JSON body: {\"library\": \"NAME\", \"preset\": \"grid\", \"paths\": [\"a/b.jpg\", ...]} or \"ids\": [...] (1 to 1000)";

    public static void MapManifest(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/manifest", AnswerAsync).Body<ManifestBody>().Produces<ManifestDocument>().Problems(400, 401, 403, 404, 413, 503)
            .Describe("Images", "A grid's worth of URLs, sizes and previews before any image arrives",
                "1 to 1,000 paths (a folder library) or ids (app items, with a role). Nothing is generated, fetched or written. Who may ask follows the " +
                "library's access mode (public: anyone; signed: the admin key; forward: the request's own credentials).");

    private static async Task AnswerAsync(HttpContext context, ManifestResolver resolver, PresetCatalog presets, IReadOnlyDictionary<string, FolderLibrary> libraries,
        ItemResolver items, CatalogSources catalogs, AccessGate gate, AccessOptions access, UrlSigner signer, TimeProvider time)
    {
        var (body, _, bad) = await JsonBody.ReadAsync(context, ManifestJson.Default.ManifestBody, BodyCap, Expected);
        if (bad is not null)
        {
            await bad.ExecuteAsync(context);
            return;
        }

        if (Check(body, presets, libraries, items, catalogs) is { } problem)
        {
            await ItemResponder.Problem(context, 400, problem);
            return;
        }

        var library = body!.Library!;
        var mode = gate.ModeOf(library);
        if (!await AdmitAsync(context, gate, mode, library))
        {
            return;
        }

        presets.TryGet(body.Preset!, out var preset);
        var format = Formats.Resolve(body.Format is null ? preset!.Format : Parse(body.Format), context.Request.Headers.Accept);
        var expires = mode == AccessMode.Signed ? time.GetUtcNow() + access.ManifestExpiry : (DateTimeOffset?)null;
        var role = body.Role ?? "cover";
        var byPath = body.Paths is not null;
        var asked = (byPath ? body.Paths! : body.Ids!).Select(x => x!).ToList();
        var entries = byPath
            ? await resolver.ForPathsAsync(libraries[library], asked, preset!, format, context.RequestAborted)
            : await resolver.ForIdsAsync(library, asked, role, preset!, format, context.RequestAborted);

        var urls = new ManifestUrls(library, preset!.Name, body.Format is null ? null : Formats.Extension(format), role, expires is { } e ? (signer, e) : null);
        var documents = new ManifestItemDocument[asked.Count];
        for (var i = 0; i < asked.Count; i++)
        {
            var entry = entries[i];
            var url = entry.Status is ManifestStatus.Invalid ? null : byPath ? urls.ForPath(asked[i]) : urls.ForId(asked[i]);
            documents[i] = new ManifestItemDocument(byPath ? null : asked[i], byPath ? asked[i] : null, entry.Status.ToString().ToLowerInvariant(), url,
                entry.Key is { } key ? $"\"{key}\"" : null, entry.Width, entry.Height, entry.Preview?.ThumbHash, entry.Preview?.Colour, entry.Reason);
        }

        context.Response.Headers.CacheControl = "no-store"; // signed URLs, and a state that changes as renditions are made
        await Results.Json(new ManifestDocument(library, preset.Name, Formats.Extension(format), expires?.ToUnixTimeSeconds(), documents),
            ManifestJson.Default.ManifestDocument).ExecuteAsync(context);
    }

    /// <summary>Whether this request may have a manifest of a library with this mode; otherwise the refusal is written.</summary>
    private static async Task<bool> AdmitAsync(HttpContext context, AccessGate gate, AccessMode mode, string library)
    {
        if (mode == AccessMode.Public || AdminEndpoints.HasAdminKey(context))
        {
            return true;
        }

        if (mode == AccessMode.Forward)
        {
            return await gate.AdmitAsync(context, library);
        }

        var keyed = context.Request.Headers.ContainsKey("X-Api-Key") || context.Request.Headers.Authorization.Count > 0;
        await ItemResponder.Problem(context, keyed ? 403 : 401,
            $"library '{library}' is signed: its manifest hands out signed URLs, so only the app's server may ask for it, with the admin key");
        return false;
    }

    private static string? Check(ManifestBody? body, PresetCatalog presets, IReadOnlyDictionary<string, FolderLibrary> libraries, ItemResolver items,
        CatalogSources catalogs)
    {
        if (body is null || string.IsNullOrEmpty(body.Library) || string.IsNullOrEmpty(body.Preset))
        {
            return Expected;
        }

        if (body.Ids is not null == body.Paths is not null)
        {
            return "give either \"ids\" or \"paths\", not both";
        }

        var asked = body.Ids ?? body.Paths!;
        if (asked.Count is 0 or > ManifestResolver.MaxItems)
        {
            return $"give 1 to {ManifestResolver.MaxItems} {(body.Ids is null ? "paths" : "ids")}; this asked for {asked.Count}";
        }

        if (asked.Any(x => x is null))
        {
            return $"every {(body.Ids is null ? "path" : "id")} must be a string";
        }

        if (!presets.TryGet(body.Preset, out _))
        {
            return $"unknown preset '{body.Preset}'; allowed: {string.Join(", ", presets.All.Select(x => x.Name))}";
        }

        if (body.Format is { } f && !Formats.TryParse(f, out _))
        {
            return $"unknown format '{f}'; use webp, jpeg, png, avif or auto";
        }

        if (catalogs.TryGet(body.Library, out _))
        {
            return $"'{body.Library}' is a catalog: its browsing API already lists each entity's image URLs";
        }

        if (!items.IsItemLibrary(body.Library))
        {
            return $"unknown library '{body.Library}'";
        }

        if (body.Paths is not null && !libraries.ContainsKey(body.Library))
        {
            return $"library '{body.Library}' has no folder: ask by \"ids\"";
        }

        return body.Role is { } role && !ItemIds.IsValidRole(role) ? $"role '{role}' must be 1-32 of a-z, 0-9, '-' and '_'" : null;
    }

    private static OutputFormat Parse(string format) => Formats.TryParse(format, out var parsed) ? parsed : OutputFormat.Auto;
}
