using System.Security.Cryptography;
using System.Text;

namespace Tessera.Core.Items;

/// <summary>Item ids are whatever an app has (an ASIN, an ISBN, a database id, a title with spaces or Unicode).
/// Each is normalised (Unicode NFC, so the same text typed two ways is one id) and hashed to a key that is
/// safe everywhere: in file names, SQL and URLs.</summary>
public static class ItemIds
{
    public const int MaxLength = 512;

    public static bool TryNormalize(string? id, out string normalized, out string? reason)
    {
        normalized = string.Empty;
        if (string.IsNullOrEmpty(id))
        {
            reason = "the item id is empty";
            return false;
        }

        if (id.Length > MaxLength)
        {
            reason = $"the item id is longer than {MaxLength} characters";
            return false;
        }

        if (id.Any(char.IsControl))
        {
            reason = "the item id contains control characters";
            return false;
        }

        try
        {
            normalized = id.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            reason = "the item id is not valid Unicode";
            return false;
        }

        reason = null;
        return true;
    }

    /// <summary>32 lowercase hex digits: the first 128 bits of SHA-256 of the normalised id.</summary>
    public static string Key(string normalizedId)
    {
        ArgumentNullException.ThrowIfNull(normalizedId);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(normalizedId), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>Roles name what an image is of an item: cover, poster, author, backdrop, …</summary>
    public static bool IsValidRole(string? role) =>
        role is { Length: > 0 and <= 32 } && (char.IsAsciiLetterLower(role[0]) || char.IsAsciiDigit(role[0]))
        && role.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');
}
