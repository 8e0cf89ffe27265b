using System.Text;

namespace Tessera.Core.Storage;

/// <summary>Whether a folder takes writes, found without writing anything (a probe file would be a write beside a
/// running server, and fails on exactly the folders it is meant to find): the folder is there, it is not on a read-only
/// mount (/proc/self/mountinfo, per-mount and filesystem options), and, for a process that is not root, its mode lets
/// someone write. The mode test cannot see the owner, so a folder writable only by another user passes; ACLs are not
/// read either. What it does find is what happens: a read-only mount, a read-only snapshot, a chmod a-w.</summary>
public static class FolderAccess
{
    private const UnixFileMode AnyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>Null when <paramref name="folder"/> looks writable, otherwise why not.</summary>
    public static string? WhyNotWritable(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            return "it does not exist";
        }

        if (ReadOnlyMount(full) is { } mount)
        {
            return $"it is on a read-only mount ({mount})";
        }

        if (!OperatingSystem.IsWindows() && !Environment.IsPrivilegedProcess && (File.GetUnixFileMode(full) & AnyWrite) == 0)
        {
            return "it has no write permission";
        }

        return null;
    }

    /// <summary>The mount point of the read-only mount holding <paramref name="path"/>, or null.</summary>
    internal static string? ReadOnlyMount(string path)
    {
        const string MountInfo = "/proc/self/mountinfo";
        if (!File.Exists(MountInfo))
        {
            return null;
        }

        string? best = null;
        var readOnly = false;
        foreach (var line in File.ReadLines(MountInfo))
        {
            // id parent major:minor root mount-point mount-options [optional…] - fstype source super-options
            var fields = line.Split(' ');
            var dash = Array.IndexOf(fields, "-");
            if (fields.Length < 6 || dash < 6 || dash + 3 >= fields.Length)
            {
                continue;
            }

            var point = Unescape(fields[4]);
            var holds = point == "/" || path == point || path.StartsWith(point + "/", StringComparison.Ordinal);
            if (holds && (best is null || point.Length >= best.Length)) // a later mount on the same point hides an earlier one
            {
                best = point;
                readOnly = HasRo(fields[5]) || HasRo(fields[dash + 3]);
            }
        }

        return readOnly ? best : null;
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    private static bool HasRo(string options) => options.Split(',').Contains("ro", StringComparer.Ordinal);

    /// <summary>mountinfo writes space, tab, newline and backslash as \ooo.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                text.Append((char)((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }
}
