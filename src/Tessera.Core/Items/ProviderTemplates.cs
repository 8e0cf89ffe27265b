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

    /// <summary>Where {role} goes in a template's URLs for one id: the part of the URL before it, and after it; null when
    /// the template has no {role} (every role then has the same URL).</summary>
    public static (string Before, string After)? RoleSlot(string template, string id)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (!template.Contains("{role}", StringComparison.Ordinal) || Expand(template, id, Marker)?.AbsoluteUri is not { } url
            || url.IndexOf(Marker, StringComparison.Ordinal) is var at && at < 0)
        {
            return null;
        }

        return (url[..at], url[(at + Marker.Length)..]);
    }

    /// <summary>The role a template gave <paramref name="url"/> for this id, or null when the URL is no expansion of it.</summary>
    public static string? RoleOf(string template, string id, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (RoleSlot(template, id) is not var (before, after) || url.Length < before.Length + after.Length
            || !url.StartsWith(before, StringComparison.Ordinal) || !url.EndsWith(after, StringComparison.Ordinal))
        {
            return null;
        }

        var role = Uri.UnescapeDataString(url[before.Length..^after.Length]);
        return role.Length > 0 && Expand(template, id, role)?.AbsoluteUri == url ? role : null;
    }

    private const string Marker = "tessera-role-slot";

    /// <summary>Checks a template at start: it must give an absolute http(s) URL.</summary>
    public static void Validate(string library, string template)
    {
        if (Expand(template, "0", "cover") is null)
        {
            throw new ArgumentException($"provider template for library '{library}' is not an absolute http(s) URL: {template}");
        }
    }
}
