using System.Text.Json;

namespace Tessera.Core.Storage;

/// <summary>The on-disk layout of one data folder:
/// tessera.db, layout.json, renditions/ab/cd/&lt;key&gt;.&lt;ext&gt;, tmp/ (in-flight writes; a process's own are
/// swept once it has ended, see <see cref="TempOwners"/>).</summary>
public sealed class DataFolder
{
    public const int LayoutVersion = 1;

    private readonly TempOwners _owners;

    public DataFolder(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        _owners = new TempOwners(TempPath);
    }

    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "tessera.db");

    public string RenditionsPath => Path.Combine(Root, "renditions");

    public string TempPath => Path.Combine(Root, "tmp");

    public string LayoutPath => Path.Combine(Root, "layout.json");

    /// <summary>Opens a data folder: creates its folders and checks (or writes) its layout version.</summary>
    public static DataFolder Open(string root)
    {
        var folder = new DataFolder(root);
        Directory.CreateDirectory(folder.RenditionsPath);
        Directory.CreateDirectory(folder.TempPath);
        folder.CheckLayout();
        return folder;
    }

    /// <summary>Opens a data folder without writing to it (read-only commands: a server may be using it); a folder
    /// not made yet is made as by <see cref="Open"/>, as no one can be using it.</summary>
    public static DataFolder OpenExisting(string root)
    {
        var folder = new DataFolder(root);
        if (!File.Exists(folder.LayoutPath))
        {
            return Open(root);
        }

        folder.CheckLayout();
        return folder;
    }

    /// <summary>A new temp file path in tmp/, owned by this process until it ends.</summary>
    public string NewTempPath(string name) => _owners.NewPath(name);

    /// <summary>Deletes abandoned temp files: those of processes that have ended (crashed mid-write), never a live
    /// process's in-flight write; returns how many.</summary>
    public int SweepTemp() => _owners.Sweep(DateTime.UtcNow);

    private void CheckLayout()
    {
        if (File.Exists(LayoutPath))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(LayoutPath));
            var version = doc.RootElement.TryGetProperty("layoutVersion", out var v) ? v.GetInt32() : 0;
            if (version != LayoutVersion)
            {
                throw new InvalidOperationException(
                    $"{Root} has layout version {version}; this Tessera reads version {LayoutVersion}. Use a new data folder.");
            }

            return;
        }

        var temp = NewTempPath("layout.json." + Guid.NewGuid().ToString("N"));
        File.WriteAllText(temp, JsonSerializer.Serialize(new LayoutDocument(LayoutVersion, DateTimeOffset.UtcNow), LayoutJson.Default.LayoutDocument));
        File.Move(temp, LayoutPath, overwrite: true);
    }
}
