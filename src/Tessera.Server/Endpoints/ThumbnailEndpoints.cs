using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core;
using Tessera.Core.Pipeline;
using Tessera.Core.Sources;
using Tessera.Core.Sources.Chain;

namespace Tessera.Server.Endpoints;

/// <summary>GET /t/{library}/{preset}/{*path}: the thumbnail of a file or folder in a folder library.</summary>
internal static class ThumbnailEndpoints
{
    public static void MapThumbnails(this IEndpointRouteBuilder app) =>
        app.MapGet("/t/{library}/{preset}/{**path}", ServeAsync);

    private static async Task ServeAsync(HttpContext context, string library, string preset, string? path)
    {
        var cache = context.RequestServices.GetRequiredService<TesseraCache>();
        if (await ItemResponder.PresetAndFormatAsync(context, cache, preset) is not var (p, format))
        {
            return;
        }

        if (!cache.Libraries.TryGetValue(library, out var lib))
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
                await ItemResponder.PlaceholderAsync(context, cache, p, format, FailureReason.NotFound, "no such file in the library");
                return;
            default:
                await ItemResponder.ServeAsync(context, cache, new FileItem(resolved.FullPath!, lib), p, format);
                return;
        }
    }
}
