using Tessera.Core.Index;

namespace Tessera.Core.Sources.Chain;

/// <summary>What a thumbnail is asked of. <see cref="Identity"/> names it in the negative cache.</summary>
public abstract record ThumbnailItem
{
    public abstract string Identity { get; }
}

/// <summary>A file or folder in a folder library (/t/...). Its identity is its full path.</summary>
public sealed record FileItem(string FullPath, FolderLibrary? Library) : ThumbnailItem
{
    public override string Identity => FullPath;

    /// <summary>The file's stamp when resolving its path already took it (null: a folder, or not taken), so the
    /// signature and the fingerprint share that one stat.</summary>
    public FileStamp? Stamp { get; init; }

    /// <summary>Its folder's mtime once the signature read it (audio, video and documents, whose sidecars count), so
    /// the sidecar lookup does not stat the folder again within the request.</summary>
    internal long? FolderMtime { get; set; }
}

/// <summary>An item an app names by its own id (/i/...): a registered file and provider URLs, and the library's
/// provider templates.</summary>
public sealed record RegisteredItem(string Library, ItemRef Item, string Role, ItemRegistration? Registration, string? FullPath,
    FolderLibrary? Folder, IReadOnlyList<Uri> Urls) : ThumbnailItem
{
    public override string Identity => $"item:{Library}/{Item.Key}/{Role}";

    /// <summary>The registered file's stamp as resolving its path took it (null: a folder, none, or not taken).</summary>
    public FileStamp? Stamp { get; init; }

    /// <summary>As <see cref="FileItem.FolderMtime"/>.</summary>
    internal long? FolderMtime { get; set; }
}

/// <summary>A remote image named by a signed URL (/r/...).</summary>
public sealed record RemoteItem(Uri Url) : ThumbnailItem
{
    public override string Identity => "signed:" + Url.AbsoluteUri;
}
