using System.Security.Cryptography;
using System.Text;

namespace Tessera.Core.Signing;

/// <summary>Signed URLs for arbitrary remote images: /r/{signature}/{preset}/{base64url(source URL)}. The signature is
/// HMAC-SHA256 over the exact path after it ("/{preset}/{encoded}"), so neither the preset nor the source can be
/// changed. The first key signs; every key verifies, so keys can be rotated without breaking issued URLs.</summary>
public sealed class UrlSigner
{
    public const int MinKeyBytes = 16;

    private readonly byte[][] _keys;

    public UrlSigner(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            if (Encoding.UTF8.GetByteCount(key) < MinKeyBytes)
            {
                throw new ArgumentException($"a signing key must be at least {MinKeyBytes} bytes");
            }
        }

        _keys = [.. keys.Select(Encoding.UTF8.GetBytes)];
    }

    public bool Enabled => _keys.Length > 0;

    /// <summary>The signed path for a source URL and preset, e.g. /r/3q2-…/grid/aHR0cHM6Ly9…</summary>
    public string Sign(string preset, string sourceUrl)
    {
        ArgumentException.ThrowIfNullOrEmpty(preset);
        ArgumentException.ThrowIfNullOrEmpty(sourceUrl);
        if (!Enabled)
        {
            throw new InvalidOperationException("no signing key is configured");
        }

        var signed = $"/{preset}/{Encode(sourceUrl)}";
        return $"/r/{Base64Url(Mac(_keys[0], signed))}{signed}";
    }

    /// <summary>Whether <paramref name="signature"/> is valid for the path after it under any active key, compared in constant time.</summary>
    public bool Verify(string signature, string signedPath)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(signedPath);
        var given = TryBase64Url(signature);
        if (given is not { Length: 32 })
        {
            return false;
        }

        var valid = false;
        foreach (var key in _keys)
        {
            valid |= CryptographicOperations.FixedTimeEquals(given, Mac(key, signedPath)); // every key is tried: timing says nothing
        }

        return valid;
    }

    /// <summary>An expiring signature for a route path (/t/LIB/PRESET/PATH, /i/LIB/ID/ROLE, /c/KEY.EXT) of a signed
    /// library: the same HMAC and keys as /r/, over "{path}?expires={unix seconds}". The path is as Tessera sees it:
    /// percent-decoded (an id's "/" stays "%2F"). Returns the query to append: "expires=…&amp;sig=…".</summary>
    public string SignPath(string path, DateTimeOffset expires)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Enabled)
        {
            throw new InvalidOperationException("no signing key is configured");
        }

        var unix = expires.ToUnixTimeSeconds();
        return $"expires={unix}&sig={Base64Url(Mac(_keys[0], PathMessage(path, unix)))}";
    }

    /// <summary>Whether <paramref name="signature"/> signs <paramref name="path"/> until <paramref name="expires"/>
    /// (unix seconds) under any key, and that time is still ahead of <paramref name="now"/>.</summary>
    public bool VerifyPath(string path, string? expires, string? signature, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (signature is null || !long.TryParse(expires, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var unix)
            || unix < now.ToUnixTimeSeconds())
        {
            return false;
        }

        return Verify(signature, PathMessage(path, unix));
    }

    private static string PathMessage(string path, long unix) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{path}?expires={unix}");

    public static string Encode(string sourceUrl) => Base64Url(Encoding.UTF8.GetBytes(sourceUrl));

    public static string? Decode(string encoded) =>
        TryBase64Url(encoded) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    private static byte[] Mac(byte[] key, string path) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(path));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? TryBase64Url(string text)
    {
        if (text.Length is 0 or > 8192 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return null;
        }

        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => string.Empty, _ => "!" };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
