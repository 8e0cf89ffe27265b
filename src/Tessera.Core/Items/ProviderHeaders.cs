namespace Tessera.Core.Items;

/// <summary>Request headers a provider wants (Stash's <c>ApiKey</c>, <c>Authorization: Bearer …</c>), so its secret
/// need not sit in a URL template. Added only to requests for the origins (scheme, host, port) of that provider's
/// templates — asked per hop, so a redirect to another origin goes without them — and never logged or shown.</summary>
public static class ProviderHeaders
{
    /// <summary>Checks <see cref="TesseraOptions.ProviderHeaders"/> at start; messages name the provider and header, never the value.</summary>
    public static void Validate(TesseraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (provider, headers) in options.ProviderHeaders)
        {
            if (options.Providers.GetValueOrDefault(provider) is not { Count: > 0 })
            {
                throw new ArgumentException($"provider headers for '{provider}': no provider of that name has a URL template (Providers:{provider})");
            }

            foreach (var (name, value) in headers)
            {
                if (name.Length == 0 || !name.All(IsTokenChar))
                {
                    throw new ArgumentException($"provider headers for '{provider}': '{name}' is not a header name");
                }

                if (value.Length == 0 || value.Any(c => c is '\r' or '\n' or '\0'))
                {
                    throw new ArgumentException($"provider headers for '{provider}': the value of {name} is empty or has a line break");
                }
            }
        }
    }

    /// <summary>For <see cref="Remote.RemoteFetcher"/>: per URL, the headers of the providers whose templates share its
    /// origin, or null (no configured headers at all: null).</summary>
    public static Func<Uri, Action<HttpRequestMessage>?>? Credentials(TesseraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var byOrigin = new Dictionary<string, List<KeyValuePair<string, string>>>(StringComparer.Ordinal);
        foreach (var (provider, headers) in options.ProviderHeaders)
        {
            foreach (var origin in (options.Providers.GetValueOrDefault(provider) ?? []).Select(t => ProviderTemplates.Expand(t, "0", "cover")).OfType<Uri>().Select(Origin).Distinct())
            {
                if (!byOrigin.TryGetValue(origin, out var list))
                {
                    byOrigin[origin] = list = [];
                }

                list.AddRange(headers);
            }
        }

        if (byOrigin.Count == 0)
        {
            return null;
        }

        return url => byOrigin.TryGetValue(Origin(url), out var headers)
            ? request =>
            {
                foreach (var (name, value) in headers)
                {
                    request.Headers.Remove(name);
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }
            : null;
    }

    private static string Origin(Uri url) => $"{url.Scheme}://{url.IdnHost.ToLowerInvariant()}:{url.Port}";

    // RFC 9110 token characters.
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
