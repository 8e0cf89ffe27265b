namespace Tessera.Core.Access;

/// <summary>Who may see a library's images (Libraries:NAME:Access, Catalogs:NAME:Access, --access NAME=MODE).</summary>
public enum AccessMode
{
    /// <summary>Anyone (the default).</summary>
    Public,

    /// <summary>Only expiring URLs signed with a signing key (HMAC over the path and the expiry).</summary>
#pragma warning disable CA1720 // "signed" is the mode's name (a signed URL), not a type
    Signed,
#pragma warning restore CA1720

    /// <summary>Whoever the app's auth URL allows, asked with the request's Cookie and Authorization.</summary>
    Forward,
}
