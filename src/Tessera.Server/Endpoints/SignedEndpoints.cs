using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core.Signing;
using Tessera.Core.Sources.Chain;
using Tessera.Core.Stats;
using Tessera.Server.OpenApi;

namespace Tessera.Server.Endpoints;

/// <summary>GET /r/{signature}/{preset}/{base64url source URL}: a remote image the app signed. A bad signature is
/// refused before anything is fetched or cached.</summary>
internal static class SignedEndpoints
{
    public static void MapSigned(this IEndpointRouteBuilder app) =>
        app.MapMethods("/r/{signature}/{preset}/{source}", ImageRoutes.GetAndHead, ServeAsync).Image().Problems(403)
            .Describe("Images", "A remote image by signed URL", "source is the image URL in base64url; signature an HMAC-SHA256 over /{preset}/{source} " +
                "(tessera sign). A bad signature is 403 before anything is fetched or cached.");

    private static async Task ServeAsync(HttpContext context, ItemResponder responder, UrlSigner signer, RequestCounters counters,
        string signature, string preset, string source)
    {
        if (!signer.Enabled)
        {
            await ItemResponder.Problem(context, 404, "signed URLs are not enabled: configure a signing key (--signing-key or TESSERA_SIGNING_KEYS)");
            return;
        }

        if (!signer.Verify(signature, $"/{preset}/{source}"))
        {
            counters.Increment(Counter.Rejected);
            await ItemResponder.Problem(context, 403, "the signature does not match this path");
            return;
        }

        // Only the form is checked here; addresses and hosts are the fetcher's to refuse (a "blocked" placeholder,
        // remembered like any other failure).
        if (UrlSigner.Decode(source) is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            await ItemResponder.Problem(context, 400, "the signed source is not an absolute http(s) URL");
            return;
        }
        if (await responder.PresetAndFormatAsync(context, preset) is not var (p, format))
        {
            return;
        }

        await responder.ServeAsync(context, new RemoteItem(uri), p, format);
    }
}
