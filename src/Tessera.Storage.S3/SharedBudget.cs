using Amazon.S3;
using Microsoft.Extensions.Logging;

namespace Tessera.Storage.S3;

/// <summary>Keeps the bucket within Store:SharedBudget. Writes add to an estimate; when it passes the budget (or is
/// not known yet), a trim lists the bucket — so it counts what every replica wrote — and deletes the oldest-written
/// objects down to 90% of the budget. Oldest-written, not least-recently-used: S3 keeps no read times, and replicas'
/// local tiers absorb the hot set anyway. One trim at a time per replica, off the request path.</summary>
public sealed class SharedBudget(IAmazonS3 client, string bucket, long budgetBytes, ILogger logger)
{
    private long _estimate = -1;
    private int _running;

    public long BudgetBytes => budgetBytes;

    /// <summary>The last trim's count of the bucket plus what this replica wrote since; -1 before the first trim.</summary>
    public long EstimatedBytes => Interlocked.Read(ref _estimate);

    internal void Added(long bytes)
    {
        if (budgetBytes <= 0)
        {
            return;
        }

        var estimate = Interlocked.Read(ref _estimate);
        if (estimate >= 0)
        {
            estimate = Interlocked.Add(ref _estimate, bytes);
        }

        if ((estimate < 0 || estimate > budgetBytes) && Interlocked.Exchange(ref _running, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await TrimCoreAsync(CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    Volatile.Write(ref _running, 0);
                }
            });
        }
    }

    /// <summary>Counts the bucket and deletes the oldest objects while it is over budget; returns how many went.</summary>
    public async Task<int> TrimAsync(CancellationToken cancellationToken)
    {
        while (Interlocked.Exchange(ref _running, 1) == 1)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await TrimCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task<int> TrimCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            var objects = new List<(string Key, long Size, DateTime At)>();
            await foreach (var o in ObjectListing.ObjectsAsync(client, bucket, cancellationToken).ConfigureAwait(false))
            {
                objects.Add((o.Key, o.Size ?? 0, o.LastModified ?? DateTime.MinValue));
            }

            var total = objects.Sum(o => o.Size);
            var target = budgetBytes - budgetBytes / 10;
            var (count, freed) = (0, 0L);
            if (budgetBytes > 0 && total > budgetBytes)
            {
                foreach (var o in objects.OrderBy(o => o.At).ThenBy(o => o.Key, StringComparer.Ordinal))
                {
                    if (total - freed <= target)
                    {
                        break;
                    }

                    await client.DeleteObjectAsync(bucket, o.Key, cancellationToken).ConfigureAwait(false);
                    (count, freed) = (count + 1, freed + o.Size);
                }

                S3Log.Trimmed(logger, bucket, total, budgetBytes, count, freed);
            }

            Interlocked.Exchange(ref _estimate, total - freed);
            return count;
        }
        catch (Exception e) when (S3RenditionStore.IsStoreFailure(e))
        {
            S3Log.TrimFailed(logger, bucket, e.Message);
            return 0;
        }
    }
}
