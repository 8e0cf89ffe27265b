using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core;
using Tessera.Core.Index;
using Tessera.Index.Sqlite;
using Tessera.Tests.Support;

namespace Tessera.Tests.Index;

/// <summary>Storage failures leave the SQLite project as <see cref="IndexException"/>, never as SqliteException.</summary>
[Collection(Serial.Name)] // ClearAllPools is process-wide
public sealed class SqliteFailureTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AnIndexWhoseFolderIsGone_FailsAsUnavailable_OnReadsWritesAndStreams()
    {
        var folder = _dir.Sub("data");
        using var index = SqliteIndex.Open(Path.Combine(folder, "tessera.db"), NullLogger.Instance);
        await index.Fingerprints.PutFingerprintAsync(new Fingerprint("/a", 1, 1, "h"), default);
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);

        var read = await Assert.ThrowsAsync<IndexException>(() => index.Fingerprints.GetFingerprintAsync("/a", default));
        Assert.Equal(IndexFailure.Unavailable, read.Kind);
        Assert.IsType<SqliteException>(read.InnerException);
        var write = await Assert.ThrowsAsync<IndexException>(() => index.Stats.AddCountersAsync(new Dictionary<string, long> { ["hits"] = 1 }, default));
        Assert.Equal(IndexFailure.Unavailable, write.Kind);
        await Assert.ThrowsAsync<IndexException>(async () =>
        {
            await foreach (var _ in index.Maintenance.RenditionChecksAsync(default))
            {
            }
        });
    }

    [Fact]
    public async Task AFileOverwrittenWhileOpen_IsSetAside_AndTheReadRunsAgainOnANewIndex()
    {
        var db = Path.Combine(_dir.Path, "tessera.db");
        using var index = SqliteIndex.Open(db, NullLogger.Instance);
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_dir.Path, "tessera.db*"))
        {
            File.Delete(file);
        }

        await File.WriteAllTextAsync(db, new string('x', 8192));
        var summary = await index.Stats.SummarizeAsync(default);

        Assert.Equal(0, summary.Renditions);
        Assert.NotNull(index.Maintenance.Damage);
        Assert.Single(Directory.GetFiles(_dir.Path, "tessera.db.corrupt-*"), f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));
    }

    [Fact]
    public void ADamagedFile_IsSetAside_AndAFreshIndexIsCreatedNew()
    {
        var db = Path.Combine(_dir.Path, "tessera.db");
        File.WriteAllText(db, new string('x', 8192));
        using var index = SqliteIndex.Open(db, NullLogger.Instance);
        Assert.True(index.Maintenance.CreatedNew);
        Assert.Single(Directory.GetFiles(_dir.Path, "tessera.db.corrupt-*"));
    }

    [Fact]
    public void AnExistingIndex_IsNotCreatedNew()
    {
        var db = Path.Combine(_dir.Path, "tessera.db");
        SqliteIndex.Open(db, NullLogger.Instance).Dispose();
        using var index = SqliteIndex.Open(db, NullLogger.Instance);
        Assert.False(index.Maintenance.CreatedNew);
    }

    [Fact]
    public async Task AddTesseraSqliteIndex_ServesEveryPort_OnTheDataFoldersIndex()
    {
        var services = new ServiceCollection()
            .AddSingleton(new TesseraOptions { DataPath = _dir.Path })
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddTesseraSqliteIndex();
        await using (var provider = services.BuildServiceProvider())
        {
            await provider.GetRequiredService<IFingerprintIndex>().PutFingerprintAsync(new Fingerprint("/a", 1, 1, "h"), default);
            Assert.Equal(1, (await provider.GetRequiredService<IStatsIndex>().SummarizeAsync(default)).Items);
            Assert.True(provider.GetRequiredService<IIndexMaintenance>().CreatedNew);
            foreach (var port in new[] { typeof(IRenditionIndex), typeof(IEvictionIndex), typeof(INegativeIndex), typeof(IDerivedIndex), typeof(IItemIndex), typeof(ICleanupIndex) })
            {
                Assert.NotNull(provider.GetRequiredService(port));
            }
        }

        Assert.True(File.Exists(Path.Combine(_dir.Path, "tessera.db")));
    }
}
