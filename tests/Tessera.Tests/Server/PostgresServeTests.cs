using System.Net;
using Npgsql;
using Tessera.Tests.Http;
using Tessera.Tests.Support;

namespace Tessera.Tests.Server;

/// <summary>`tessera serve --index postgres:…` as a real process: the index lives in PostgreSQL (no tessera.db in the
/// data folder), the rendition files on the local disk store, and a restarted server answers from both.</summary>
public sealed class PostgresServeTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly PostgresSchema _schema = new();

    public void Dispose()
    {
        _schema.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task AThumbnailMadeOnPostgres_IsAHitAfterARestart()
    {
        var library = _dir.Sub("lib");
        Images.WriteSolidJpeg(Path.Combine(library, "a.jpg"), 900, 600);
        var data = Path.Combine(_dir.Path, "data");
        string[] args = ["--data", data, "--library", $"lib={library}", "--index", "postgres:" + _schema.ConnectionString, "--warm-at-start", "off"];

        byte[] made;
        string etag;
        await using (var first = await ServeProcess.StartAsync(new Dictionary<string, string>(), args))
        {
            using var miss = await first.Client.GetAsync("/t/lib/grid/a.jpg");
            Assert.True(miss.StatusCode == HttpStatusCode.OK, first.Output);
            Assert.Equal("miss", HttpAssert.Header(miss, "X-Tessera-Cache"));
            made = await miss.Content.ReadAsByteArrayAsync();
            etag = miss.Headers.ETag!.Tag;
            Assert.Equal(0, await first.StopAsync());
        }

        Assert.False(File.Exists(Path.Combine(data, "tessera.db")), "the index is in PostgreSQL, not in the data folder");
        Assert.Equal(1L, Scalar($"SELECT count(*) FROM {_schema.Name}.renditions WHERE bytes = {made.Length}"));
        Assert.Equal(1L, Scalar($"SELECT count(*) FROM {_schema.Name}.fingerprints"));

        await using var second = await ServeProcess.StartAsync(new Dictionary<string, string>(), args);
        using var hit = await second.Client.GetAsync("/t/lib/grid/a.jpg");
        Assert.True(hit.StatusCode == HttpStatusCode.OK, second.Output);
        Assert.Equal("hit", HttpAssert.Header(hit, "X-Tessera-Cache"));
        Assert.Equal(etag, hit.Headers.ETag!.Tag);
        Assert.Equal(made, await hit.Content.ReadAsByteArrayAsync());
    }

    private static long Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(PostgresSchema.ServerConnectionString());
        connection.Open();
        using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
