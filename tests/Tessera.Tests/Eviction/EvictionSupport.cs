using Microsoft.Data.Sqlite;
using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Tests.Support;

namespace Tessera.Tests.Eviction;

/// <summary>Real renditions with known LRU order, and direct reads of the index rows behind them.</summary>
internal static class EvictionSupport
{
    public static readonly Preset Grid = new("grid", 400, 400);

    /// <summary>A cache whose disk always has room, so only the byte budget decides.</summary>
    public static CacheFixture RoomyCache() => new(o => o.Budget.FreeDiskBytes = _ => long.MaxValue);

    /// <summary>Generates n distinct renditions and sets their last_access to 1000, 1001, … (oldest first).</summary>
    public static async Task<List<ThumbnailResult>> MakeRenditionsAsync(CacheFixture f, int n)
    {
        var made = new List<ThumbnailResult>();
        for (var i = 0; i < n; i++)
        {
            var src = Images.WriteSolidJpeg(Path.Combine(f.Library, $"{i}.jpg"), 300 + (i * 40), 200, (byte)(20 * i), 90, 160);
            var r = await f.Cache.Service.GetAsync(src, Grid, OutputFormat.WebP, default);
            Assert.Equal(ThumbnailOutcome.Generated, r.Outcome);
            made.Add(r);
        }

        for (var i = 0; i < n; i++)
        {
            Sql(f, "UPDATE renditions SET last_access = $v WHERE key = $k", ("$v", 1000L + i), ("$k", made[i].Key));
        }

        return made;
    }

    public static string SourceOf(CacheFixture f, int i) => Path.Combine(f.Library, $"{i}.jpg");

    public static long? LastAccess(CacheFixture f, string key) =>
        Sql(f, "SELECT last_access FROM renditions WHERE key = $k", ("$k", key)) is long v ? v : null;

    public static bool HasRow(CacheFixture f, string key) => LastAccess(f, key) is not null;

    public static bool HasFile(CacheFixture f, string key) => File.Exists(f.Cache.Store.PathOf(key, "webp"));

    private static object? Sql(CacheFixture f, string sql, params (string Name, object Value)[] args)
    {
        using var connection = new SqliteConnection($"Data Source={f.Cache.Folder.DatabasePath};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        return cmd.ExecuteScalar();
    }
}
