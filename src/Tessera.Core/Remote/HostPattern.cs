namespace Tessera.Core.Remote;

/// <summary>One AllowedHosts entry: an exact host or "*.domain" (any subdomain, at a dot boundary). Compared as
/// whole ASCII (IDN) names, never as substrings, so "allowed.com.evil" and "evilallowed.com" do not match.</summary>
internal readonly record struct HostPattern(string Name, bool Wildcard)
{
    public static bool TryParse(string? entry, out HostPattern pattern)
    {
        pattern = default;
        var text = entry?.Trim() ?? "";
        var wildcard = text.StartsWith("*.", StringComparison.Ordinal);
        if (wildcard)
        {
            text = text[2..];
        }

        text = text.TrimStart('[').TrimEnd(']');
        var name = Normalize(text);
        if (name.Length == 0 || name.Contains('*', StringComparison.Ordinal) || Uri.CheckHostName(name) == UriHostNameType.Unknown)
        {
            return false;
        }

        pattern = new HostPattern(name, wildcard);
        return true;
    }

    /// <summary>Lower-case ASCII form without the root dot ("Bücher.DE." → "xn--bcher-kva.de").</summary>
    public static string Normalize(string host)
    {
        var name = host.TrimEnd('.').ToLowerInvariant();
        if (name.Any(c => c > 127) && Uri.TryCreate("http://" + name + "/", UriKind.Absolute, out var uri))
        {
            name = uri.IdnHost.TrimEnd('.');
        }

        return name;
    }

    /// <param name="host">Already normalized.</param>
    public bool Matches(string host) =>
        Wildcard
            ? host.Length > Name.Length + 1 && host.EndsWith(Name, StringComparison.Ordinal) && host[host.Length - Name.Length - 1] == '.'
            : host == Name;
}
