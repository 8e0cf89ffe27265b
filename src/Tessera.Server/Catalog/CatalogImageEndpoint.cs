using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core.Catalog;
using Tessera.Core.Items;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Server.Access;
using Tessera.Server.Endpoints;

namespace Tessera.Server.Catalog;

/// <summary>GET /i/{catalog}/{singular}:{id}/{role}: a catalog entity's image, served like every item (negative cache,
/// ETag, content address). A missing, soft-deleted or (with <c>?user=</c>) hidden entity is the not-found placeholder
/// (404): a restricted user cannot tell a hidden entity from one that does not exist.</summary>
internal static class CatalogImageEndpoint
{
    public static async Task ServeAsync(HttpContext context, ItemResponder responder, PresetCatalog presets, string catalog, string itemId, string role)
    {
        if (!ItemIds.IsValidRole(role))
        {
            await ItemResponder.Problem(context, 400, $"role '{role}' must be 1-32 of a-z, 0-9, '-' and '_'");
            return;
        }

        // The user the app's auth URL named wins: ?user= cannot widen what that user sees.
        var user = AccessGate.ForwardedUser(context) ?? context.Request.Query["user"].ToString();
        if (user.Length > 0 && !CatalogQueryParser.IsUserName(user))
        {
            await ItemResponder.Problem(context, 400, "user must be 1-64 printable characters without '/'");
            return;
        }

        if (await responder.PresetAndFormatAsync(context, ItemEndpoints.PresetName(context, presets)) is not var (preset, format))
        {
            return;
        }

        var images = context.RequestServices.GetRequiredService<CatalogImages>();
        var lookup = await images.ResolveAsync(catalog, itemId, role, user.Length == 0 ? null : user, context.RequestAborted);
        if (lookup.Item is { } item)
        {
            await responder.ServeAsync(context, item, preset, format);
        }
        else if (lookup.Status == 404)
        {
            await responder.PlaceholderAsync(context, preset, format, FailureReason.NotFound, lookup.Problem);
        }
        else
        {
            await ItemResponder.Problem(context, lookup.Status, lookup.Problem!);
        }
    }
}
