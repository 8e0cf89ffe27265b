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

    public IAsyncEnumerable<TaskOutcome> ProcessAsync(string item, CancellationToken cancellationToken) =>
        runner.RenderAsync(new FileItem(Path.Combine(folder.Root, item), folder), presets, cancellationToken);

    public Task CleanupAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
