using Microsoft.AspNetCore.Http;
using Tessera.Core.Sources;

namespace Tessera.Server.Dashboard;

/// <summary>One folder of a library as the browser shows it: subfolders and media files, sorted by name, hidden entries
/// left out. The folder is found as /t/ finds files (<see cref="FolderLibrary.Resolve"/>: no "..", no absolute path, no
/// symlink leading out), and an entry that is a symlink leading out of the library is not listed.</summary>
internal sealed record FolderListing(IReadOnlyList<FolderEntry> Folders, IReadOnlyList<FolderListing.File> Files, string? Problem = null, int Status = 200)
{
    private const int MaxEntries = 100_000;

    public sealed record File(string Name, string Path, MediaKind Kind, long Size);

    public static FolderListing Read(FolderLibrary library, string relative)
    {
        string folder;
        if (relative.Length == 0)
        {
            folder = library.Root;
        }
        else
        {
            var found = library.Resolve(relative);
            if (found.Outcome == PathOutcome.Invalid)
            {
                return Fail(found.Reason ?? "invalid path", StatusCodes.Status400BadRequest);
            }

            if (found.Outcome != PathOutcome.Found || !Directory.Exists(found.FullPath))
            {
                return Fail($"no folder '{relative}' in library '{library.Name}'", StatusCodes.Status404NotFound);
            }

            folder = found.FullPath!;
        }

        var folders = new List<FolderEntry>();
        var files = new List<File>();
        try
        {
            foreach (var info in new DirectoryInfo(folder).EnumerateFileSystemInfos().Take(MaxEntries))
            {
                if (info.Name.StartsWith('.') || (info.LinkTarget is not null && !library.Contains(info.FullName)))
                {
                    continue; // hidden, or a symlink out of the library: never shown, as /t/ would never serve it
                }

                var path = relative.Length == 0 ? info.Name : $"{relative}/{info.Name}";
                if (Directory.Exists(info.FullName))
                {
                    folders.Add(new FolderEntry(info.Name, path));
                }
                else if (MediaKinds.Of(info.Name) is not MediaKind.Other and var kind && System.IO.File.Exists(info.FullName))
                {
                    files.Add(new File(info.Name, path, kind, new FileInfo(info.FullName).Length));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"folder '{relative}' cannot be listed", StatusCodes.Status404NotFound);
        }

        folders.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
        files.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
        return new FolderListing(folders, files);
    }

    private static FolderListing Fail(string problem, int status) => new([], [], problem, status);
}
