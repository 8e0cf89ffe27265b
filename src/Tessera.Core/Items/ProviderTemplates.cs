namespace Tessera.Core.Items;

/// <summary>Provider URL templates of a library, e.g. https://covers.openlibrary.org/b/isbn/{id}-L.jpg: tried for
/// every item of the library after its registered sources. {id} is the item's (canonical) id, escaped; {role} its role.</summary>
public static class ProviderTemplates
{
    public static Uri? Expand(string template, string id, string role)
    {
        ArgumentNullException.ThrowIfNull(template);
        var url = template.Replace("{id}", Uri.EscapeDataString(id), StringComparison.Ordinal)
            .Replace("{role}", Uri.EscapeDataString(role), StringComparison.Ordinal);
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
    }

    /// <summary>Checks a template at start: it must give an absolute http(s) URL.</summary>
    public static void Validate(string library, string template)
    {
        if (Expand(template, "0", "cover") is null)
        {
            throw new ArgumentException($"provider template for library '{library}' is not an absolute http(s) URL: {template}");
        }
    }
}
