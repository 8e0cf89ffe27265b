namespace Tessera.Core.Access;

/// <summary>Access policy per library or catalog, and how forward decisions are asked and cached (Access:*).</summary>
public sealed class AccessOptions
{
    public const string DefaultUserHeader = "X-Tessera-User";

    /// <summary>Non-public libraries and catalogs by name; a name not listed is public.</summary>
    public Dictionary<string, AccessMode> Modes { get; } = new(StringComparer.Ordinal);

    /// <summary>Where forward access asks the app (Access:AuthUrl).</summary>
    public Uri? AuthUrl { get; set; }

    /// <summary>How long a decision is reused for the same credentials (Access:AuthCache, default 30 s; 0 asks every time).</summary>
    public TimeSpan AuthCache { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the app may take to answer before the request is refused (Access:AuthTimeout, default 5 s).</summary>
    public TimeSpan AuthTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most cached decisions (Access:AuthCacheEntries, default 10,000); past it the expired, then the oldest, go.</summary>
    public int AuthCacheEntries { get; set; } = 10_000;

    /// <summary>How long the signed URLs a manifest hands out for a signed library stay valid (Access:ManifestExpiry,
    /// default 1 h).</summary>
    public TimeSpan ManifestExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The app's response header naming the user whose catalog restrictions apply (Access:UserHeader).</summary>
    public string UserHeader { get; set; } = DefaultUserHeader;

    public AccessMode ModeOf(string library) => Modes.GetValueOrDefault(library, AccessMode.Public);

    /// <summary>Whether any library or catalog is not public (then /c/ checks what it serves).</summary>
    public bool AnyPrivate => Modes.Values.Any(m => m != AccessMode.Public);

    public static bool TryParseMode(string text, out AccessMode mode)
    {
        switch (text.ToLowerInvariant())
        {
            case "public": mode = AccessMode.Public; return true;
            case "signed": mode = AccessMode.Signed; return true;
            case "forward": mode = AccessMode.Forward; return true;
            default: mode = AccessMode.Public; return false;
        }
    }

    public void Validate(TesseraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (name, mode) in Modes)
        {
            if (mode == AccessMode.Signed && options.SigningKeys.Count == 0)
            {
                throw new ArgumentException($"Libraries:{name}:Access: signed access needs a signing key (--signing-key or SigningKeys)");
            }

            if (mode == AccessMode.Forward && AuthUrl is null)
            {
                throw new ArgumentException($"Access:AuthUrl: forward access for '{name}' needs the app's auth URL (--auth-url)");
            }
        }

        if (AuthCache < TimeSpan.Zero || AuthCache > TimeSpan.FromHours(1))
        {
            throw new ArgumentException("Access:AuthCache: must be from 0 to 1h");
        }

        if (ManifestExpiry < TimeSpan.FromMinutes(1) || ManifestExpiry > TimeSpan.FromDays(7))
        {
            throw new ArgumentException("Access:ManifestExpiry: must be from 1m to 7d");
        }

        if (AuthTimeout <= TimeSpan.Zero || AuthTimeout > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException("Access:AuthTimeout: must be more than 0 and at most 1m");
        }
    }
}
