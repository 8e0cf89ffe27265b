using System.Text.Json;

namespace Tessera.Core.Storage;

/// <summary>The on-disk layout of one data folder:
/// tessera.db, layout.json, renditions/ab/cd/&lt;key&gt;.&lt;ext&gt;, tmp/ (in-flight writes, swept at start).</summary>
public sealed class DataFolder
{
    public const int LayoutVersion = 1;

    public DataFolder(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
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

    /// <summary>Deletes abandoned temp files (in-flight writes of a process that crashed); returns how many.</summary>
    public int SweepTemp()
    {
        var swept = 0;
        foreach (var file in Directory.EnumerateFiles(TempPath))
        {
            File.Delete(file);
            swept++;
        }

        return swept;
    }

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

        var temp = Path.Combine(TempPath, "layout.json." + Guid.NewGuid().ToString("N"));
        File.WriteAllText(temp, JsonSerializer.Serialize(new { layoutVersion = LayoutVersion, created = DateTimeOffset.UtcNow }));
        File.Move(temp, LayoutPath, overwrite: true);
    }
}
