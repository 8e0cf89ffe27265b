using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Storage;
using Tessera.Storage.S3;
using Tessera.Tests.Support;

namespace Tessera.Tests.Storage;

/// <summary>Store:SharedBudget keeps the bucket within its own budget, oldest-written objects first.</summary>
public sealed class SharedBudgetTests : IDisposable
{
    private const int ObjectSize = 4096;
    private readonly S3RenditionStore _store = new(S3StandIn.Options(sharedBudget: 10 * 1024), NullLogger<S3RenditionStore>.Instance);

    [Fact]
    public async Task OverBudget_TheOldestObjectsGo_DownTo90Percent()
    {
        var old = await WriteAsync(3);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // S3 LastModified has one-second precision
        var recent = await WriteAsync(2);

        await _store.Budget.TrimAsync(CancellationToken.None);

        var left = _store.Enumerate().Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(recent.Order(StringComparer.Ordinal), left.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(old, left.Contains);
        Assert.Equal(2 * ObjectSize, _store.Budget.EstimatedBytes);
    }

    [Fact]
    public async Task WithinBudget_NothingGoes()
    {
        var written = await WriteAsync(2);

        Assert.Equal(0, await _store.Budget.TrimAsync(CancellationToken.None));

        Assert.Equal(written.Count, _store.Enumerate().Count());
    }

    private async Task<List<string>> WriteAsync(int count)
    {
        var keys = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var key = VerifiedRead.Sha256(Guid.NewGuid().ToByteArray());
            await _store.WriteAsync(key, "webp", new byte[ObjectSize], CancellationToken.None);
            keys.Add(key);
        }

        return keys;
    }

    public void Dispose() => _store.Dispose();
}
