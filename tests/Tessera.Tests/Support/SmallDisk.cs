using System.Diagnostics;

namespace Tessera.Tests.Support;

/// <summary>For tests on a tiny tmpfs they mount themselves (CI runs as root): running mount/umount, and filling a disk.</summary>
internal static class SmallDisk
{
    /// <summary>Writes to <paramref name="path"/> until the disk is full (ENOSPC).</summary>
    public static void Fill(string path)
    {
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                fs.Write(block);
                fs.Flush();
            }
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full.
        }
    }

    /// <summary>Runs a system tool (mount, umount) and returns its exit code and stderr.</summary>
    public static (int Code, string Stderr) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, err);
    }
}
