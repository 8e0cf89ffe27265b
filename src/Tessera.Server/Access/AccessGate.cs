using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Tessera.Core.Access;
using Tessera.Core.Signing;
using Tessera.Core.Stats;
using Tessera.Server.Endpoints;

namespace Tessera.Server.Access;

/// <summary>The access check every image route of a library runs first, before any index lookup, file read, fetch or
/// generation. A denied request is answered here (401/403/503 with a problem body, no image) and counted as rejected —
/// neither hit nor miss. An allowed answer of a non-public library is marked <c>Cache-Control: private</c>.</summary>
internal sealed class AccessGate(AccessOptions options, UrlSigner signer, ForwardAuthenticator forward, PrivateRenditions renditions,
    RequestCounters counters, TimeProvider time)
{
    private const string UserItem = "tessera.access.user";

    public AccessMode ModeOf(string library) => options.ModeOf(library);

    /// <summary>True when the request may go on; otherwise the refusal has been written.</summary>
    public async Task<bool> AdmitAsync(HttpContext context, string library)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await AdmitAsync(context, [options.ModeOf(library)], library).ConfigureAwait(false);
    }

    /// <summary>As <see cref="AdmitAsync(HttpContext, string)"/> for content that belongs to libraries of these modes:
    /// any one that admits is enough.</summary>
    public async Task<bool> AdmitAsync(HttpContext context, IReadOnlyCollection<AccessMode> modes, string? library = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(modes);
        if (modes.Count == 0 || modes.Contains(AccessMode.Public))
        {
            return true;
        }

        AccessDecision? refusal = null;
        foreach (var mode in modes.Distinct())
        {
            var decision = await DecideAsync(context, mode).ConfigureAwait(false);
            if (decision.Allowed)
            {
                if (decision.User is { } user)
                {
                    context.Items[UserItem] = user;
                }

                MarkPrivate(context.Response, library);
                return true;
            }

            refusal = refusal is null || decision.Status == 503 ? decision : refusal;
        }

        counters.Increment(Counter.Rejected);
        context.Response.Headers.CacheControl = "private, no-store";
        await ItemResponder.Problem(context, refusal!.Status, refusal.Reason!).ConfigureAwait(false);
        return false;
    }

    /// <summary>The user the app's auth URL named for this request, which ?user= cannot override.</summary>
    public static string? ForwardedUser(HttpContext context) => context.Items.TryGetValue(UserItem, out var user) ? user as string : null;

    private async Task<AccessDecision> DecideAsync(HttpContext context, AccessMode mode)
    {
        switch (mode)
        {
            case AccessMode.Signed:
                var query = context.Request.Query;
                return signer.VerifyPath(context.Request.Path.Value ?? "/", query["expires"].ToString(), query["sig"].ToString(), time.GetUtcNow())
                    ? AccessDecision.Open
                    : AccessDecision.Deny(query.ContainsKey("sig") ? 403 : 401, "this library needs a signed URL that has not expired (?expires=…&sig=…)");
            case AccessMode.Forward:
                var headers = context.Request.Headers;
                return await forward.DecideAsync(headers.Cookie.ToString(), headers.Authorization.ToString()).ConfigureAwait(false);
            default:
                return AccessDecision.Open;
        }
    }

    /// <summary>Whatever the route then answers (image, 304, placeholder), shared caches must not keep it; and its
    /// content address is recorded as this library's before the key leaves in the headers.</summary>
    private void MarkPrivate(HttpResponse response, string? library) => response.OnStarting(async () =>
    {
        var control = response.Headers.CacheControl.ToString();
        var maxAge = CacheControlHeaderValue.TryParse(control, out var parsed) && parsed.MaxAge is { } age && !control.Contains("immutable", StringComparison.Ordinal)
            ? (int)age.TotalSeconds
            : 60;
        response.Headers.CacheControl = control.Contains("no-store", StringComparison.Ordinal) ? control : $"private, max-age={maxAge}, must-revalidate";
        if (library is not null && ContentKey(response.Headers[HeaderNames.ContentLocation].ToString()) is { } key)
        {
            try
            {
                await renditions.MarkAsync(key, library, response.HttpContext.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Core.Index.IndexException or OperationCanceledException)
            {
                response.Headers.Remove(HeaderNames.ContentLocation); // unrecorded: at least do not hand the address out
            }
        }
    });

    private static string? ContentKey(string location) =>
        location.StartsWith("/c/", StringComparison.Ordinal) && location.IndexOf('.', StringComparison.Ordinal) is > 3 and var dot ? location[3..dot] : null;
}
