using System.Runtime.CompilerServices;
using Tessera.Core.Cache;

namespace Tessera.Core.Jobs;

/// <summary><c>cleanup</c>: today's <c>tessera cleanup</c> (deleted sources, rows without files, files without rows,
/// leftover temp files) as a job, so it can be scheduled. It has no units: the whole pass is its clean-up phase,
/// which the job lease fences.</summary>
public sealed class CleanupKind(Cleaner cleaner) : IJobKind
{
    public const string KindName = "cleanup";

    public string Name => KindName;

    public JobDefinition Define(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Library is not null || request.Paths is { Count: > 0 } || request.Ids is { Count: > 0 } || request.Urls is { Count: > 0 }
            || request.Presets is { Count: > 0 } || request.Preset is not null)
        {
            throw new JobRequestException("a cleanup job takes no parameters");
        }

        return new JobDefinition("all", new JobSpec().ToJson());
    }

    public IJobRun Open(JobRecord job) => new Run(cleaner);

    private sealed class Run(Cleaner cleaner) : IJobRun
    {
        public int TasksPerItem => 0;

        public async IAsyncEnumerable<DiscoveredItem> DiscoverAsync(string? cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask.ConfigureAwait(false);
            yield break;
        }

        public async IAsyncEnumerable<TaskOutcome> ProcessAsync(string item, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask.ConfigureAwait(false);
            yield break;
        }

        public Task CleanupAsync(CancellationToken cancellationToken) => cleaner.RunAsync(new CleanupOptions(), cancellationToken);
    }
}
