using Microsoft.Extensions.Hosting;
using Tessera.Core.Index;

namespace Tessera.Server.Background;

/// <summary>While the index is read-only for lack of disk space, tries to reopen it read-write: after 5 s, then with
/// the wait doubled up to a minute. The index logs each transition once; readiness names the full disk meanwhile.</summary>
internal sealed class IndexReopener(IIndexAvailability index, BackgroundLoops loops) : BackgroundService
{
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstRetry;
        try
        {
            while (index.ReadOnlyReason is not null)
            {
                await Task.Delay(delay, loops.Clock, stoppingToken).ConfigureAwait(false);
                if (!await index.TryReopenAsync(stoppingToken).ConfigureAwait(false))
                {
                    delay = delay * 2 < MaxRetry ? delay * 2 : MaxRetry;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping while still degraded.
        }
    }
}
