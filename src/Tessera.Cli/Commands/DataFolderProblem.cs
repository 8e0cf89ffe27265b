using Tessera.Core.Index;

namespace Tessera.Cli.Commands;

/// <summary>Names the usual cause when the data folder cannot be opened: it is read-only (a read-only mount, or
/// permissions). Probed only after opening failed, so a healthy start writes nothing extra.</summary>
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

    private static bool Writable(string dataPath)
    {
        try
        {
            var probe = Path.Combine(dataPath, ".tessera-write-probe-" + Environment.ProcessId);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
