using System.Runtime.CompilerServices;
using Tessera.Core.Cache;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Core.Sources.Chain;
using Tessera.Core.Stats;
using Tessera.Core.Warm;

namespace Tessera.Core.Jobs;

/// <summary>Renders one item at some presets, as a job does: through the same <see cref="ThumbnailService.EnsureAsync(ThumbnailItem, Preset, OutputFormat, CancellationToken)"/>
/// as requests, so failures reach the negative cache and fresh renditions are skipped. A full encode queue is waited
/// out, never counted as a failure: background work yields to requests.</summary>
public sealed class TaskRunner(ThumbnailService service, RequestCounters counters, TimeProvider clock)
{
    private static readonly TimeSpan QueueFullPause = TimeSpan.FromSeconds(1);

    public async IAsyncEnumerable<TaskOutcome> RenderAsync(ThumbnailItem item, IReadOnlyList<Preset> presets,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presets);
        foreach (var preset in presets)
        {
            foreach (var format in Warmer.FormatsOf(preset))
            {
                yield return await EnsureAsync(item, preset, format, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<TaskOutcome> EnsureAsync(ThumbnailItem item, Preset preset, OutputFormat format, CancellationToken cancellationToken)
    {
        while (true)
        {
            ThumbnailResult? result;
            try
            {
                result = await service.EnsureAsync(item, preset, format, cancellationToken).ConfigureAwait(false);
            }
            catch (QueueFullException)
            {
                await Task.Delay(QueueFullPause, clock, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (result is null)
            {
                return new TaskOutcome(TaskResult.Skipped, preset.Name);
            }

            if (result.Outcome == ThumbnailOutcome.Failed)
            {
                return TaskOutcome.Failed(preset.Name, FailureReasons.ToText(result.Failure ?? FailureReason.DecodeFailed), result.Detail ?? string.Empty);
            }

            counters.Increment(Counter.Warmed);
            return new TaskOutcome(TaskResult.Completed, preset.Name, result.Bytes.Length);
        }
    }
}
