using Tessera.Core.Signing;

namespace Tessera.Server.Endpoints;

/// <summary>The image URLs a manifest hands out, as the server routes them: /t/LIB/PRESET/PATH for a path,
/// /i/LIB/ID/ROLE?preset= for an id; signed over the path Tessera sees (percent-decoded, an id's "/" kept as %2F) when
/// the library is signed.</summary>
internal sealed class ManifestUrls(string library, string preset, string? format, string role, (UrlSigner Signer, DateTimeOffset Expires)? signing)
{
    public string ForPath(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var seen = $"/t/{library}/{preset}/{string.Join('/', segments)}";
        var url = $"/t/{Uri.EscapeDataString(library)}/{Uri.EscapeDataString(preset)}/{string.Join('/', segments.Select(Uri.EscapeDataString))}";
        return Finish(seen, url, format is null ? null : $"format={format}");
    }

    public string ForId(string id)
    {
        var seen = $"/i/{library}/{id.Replace("/", "%2F", StringComparison.Ordinal)}/{role}";
        var url = $"/i/{Uri.EscapeDataString(library)}/{Uri.EscapeDataString(id)}/{role}";
        return Finish(seen, url, $"preset={Uri.EscapeDataString(preset)}{(format is null ? null : $"&format={format}")}");
    }

    private string Finish(string seen, string url, string? query)
    {
        var signature = signing is { } s ? s.Signer.SignPath(seen, s.Expires) : null;
        var parts = new[] { query, signature }.Where(p => p is not null);
        return parts.Any() ? $"{url}?{string.Join('&', parts)}" : url;
    }
}
