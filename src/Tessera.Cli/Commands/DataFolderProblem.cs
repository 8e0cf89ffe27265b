using Tessera.Core.Index;
using Tessera.Core.Storage;

namespace Tessera.Cli.Commands;

/// <summary>Names the usual cause when the data folder cannot be opened: it is read-only (a read-only mount, or
/// permissions), found without writing (<see cref="FolderAccess"/>); asked only after opening failed.</summary>
internal static class DataFolderProblem
{
    public static Exception Explain(Exception e, string dataPath)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is not (IndexException or IOException or UnauthorizedAccessException) || Writable(dataPath))
        {
            return e;
        }

        return new IOException($"the data folder {Path.GetFullPath(dataPath)} is not writable (a read-only mount or missing permissions): {e.Message}", e);
    }

    private static bool Writable(string dataPath) =>
        FolderAccess.WhyNotWritable(Directory.Exists(dataPath) ? dataPath : Path.GetDirectoryName(Path.GetFullPath(dataPath)) ?? dataPath) is null;
}
