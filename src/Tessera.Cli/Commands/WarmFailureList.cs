using System.Text;
using Tessera.Core.Warm;

namespace Tessera.Cli.Commands;

/// <summary>The file `warm --failures FILE` writes: one line per failed file, tab-separated: path, presets
/// (comma-separated), reason, detail. Tabs and line breaks inside a field become spaces, so `cut -f1` gives the paths.</summary>
internal sealed class WarmFailureList(string path, StreamWriter writer) : IAsyncDisposable
{
    public string Path { get; } = path;

    public static WarmFailureList Create(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            return new WarmFailureList(full, new StreamWriter(full, append: false, new UTF8Encoding(false)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write --failures {path}: {e.Message}", e);
        }
    }

    public async Task WriteAsync(IEnumerable<WarmFailedFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var f in files)
        {
            var line = string.Join('\t', Field(f.Path), Field(string.Join(',', f.Presets)), Field(f.Reason), Field(f.Detail));
            await writer.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => writer.DisposeAsync();

    private static string Field(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
