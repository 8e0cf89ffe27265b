using System.Runtime.CompilerServices;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Core.Sources.Chain;
using Tessera.Core.Warm;

namespace Tessera.Core.Jobs;

/// <summary>A warm of a folder's files: items are paths relative to the folder, walked in ordinal order.</summary>
internal sealed class WarmFolderRun(FolderLibrary folder, IReadOnlyList<string>? paths, IReadOnlyList<Preset> presets, TaskRunner runner) : IJobRun
{
    public int TasksPerItem { get; } = presets.Sum(p => Warmer.FormatsOf(p).Count);

    public async IAsyncEnumerable<DiscoveredItem> DiscoverAsync(string? cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var file in FolderWalk.Files(folder.Root, paths, cursor))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new DiscoveredItem(file, file);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Biggest files first, so parallel work finishes together instead of one large photo running alone at
    /// the end (file size stands in for decode cost).</summary>
    public IReadOnlyList<string> Arrange(IReadOnlyList<string> items) =>
        [.. items.Select(i => (Item: i, Size: SizeOf(Path.Combine(folder.Root, i)))).OrderByDescending(x => x.Size).Select(x => x.Item)];

    private static long SizeOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    public IAsyncEnumerable<TaskOutcome> ProcessAsync(string item, CancellationToken cancellationToken) =>
        runner.RenderAsync(new FileItem(Path.Combine(folder.Root, item), folder), presets, cancellationToken);

    public Task CleanupAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
