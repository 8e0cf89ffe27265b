using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core.Pipeline;
using Tessera.Core.Sources;
using Tessera.Core.Sources.Chain;
using Tessera.Server.Access;
using Tessera.Server.OpenApi;

namespace Tessera.Server.Endpoints;

/// <summary>GET /t/{library}/{preset}/{*path}: the thumbnail of a file or folder in a folder library.</summary>
internal static class ThumbnailEndpoints
{
    public static void MapThumbnails(this IEndpointRouteBuilder app)
    {
        // The handler's services are singletons, taken from the root provider once: a parameter resolved per request
        // would open a DI scope for every hit (two allocations and an async dispose per request).
        var parts = new Lazy<(ItemResponder Responder, AccessGate Gate, IReadOnlyDictionary<string, FolderLibrary> Libraries)>(() => (
            app.ServiceProvider.GetRequiredService<ItemResponder>(), app.ServiceProvider.GetRequiredService<AccessGate>(),
            app.ServiceProvider.GetRequiredService<IReadOnlyDictionary<string, FolderLibrary>>()));
        app.MapMethods("/t/{library}/{preset}/{**path}", ImageRoutes.GetAndHead, (HttpContext context, string library, string preset, string? path) =>
                ServeAsync(context, parts.Value.Responder, parts.Value.Gate, parts.Value.Libraries, library, preset, path)).Image()
            .Query("format", "webp, jpeg, png, avif or auto: overrides the preset's format.")
            .Describe("Images", "The thumbnail of a file or folder in a folder library",
                "A folder gives its cover (cover.jpg, folder.jpg, … or the first image). Strong ETag; If-None-Match gives 304. A missing or broken " +
                "file gets a placeholder of the preset's size. Unknown presets, formats and malformed or escaping paths are 400.");
    }

    private static async Task ServeAsync(HttpContext context, ItemResponder responder, AccessGate gate, IReadOnlyDictionary<string, FolderLibrary> libraries,
        string library, string preset, string? path)
    {
        if (!await gate.AdmitAsync(context, library))
        {
            return;
        }

        if (await responder.PresetAndFormatAsync(context, preset) is not var (p, format))
        {
            return;
        }

        if (!libraries.TryGetValue(library, out var lib))
        {
            await ItemResponder.Problem(context, 404, $"unknown library '{library}'");
            return;
        }

        var resolved = lib.Resolve(path ?? string.Empty);
        switch (resolved.Outcome)
        {
            case PathOutcome.Invalid:
                await ItemResponder.Problem(context, 400, resolved.Reason!);
                return;
            case PathOutcome.Missing:
                await responder.PlaceholderAsync(context, p, format, FailureReason.NotFound, "no such file in the library");
                return;
            default:
                await responder.ServeAsync(context, new FileItem(resolved.FullPath!, lib) { Stamp = resolved.Stamp }, p, format);
                return;
        }
    }
}
