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

    /// <summary>Creates the folders, checks the layout version and sweeps abandoned temp files.
    /// Returns how many temp files were swept.</summary>
    public int Open()
    {
        Directory.CreateDirectory(RenditionsPath);
        Directory.CreateDirectory(TempPath);
        CheckLayout();
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
