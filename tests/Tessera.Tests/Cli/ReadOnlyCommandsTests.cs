using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Core;
using Tessera.Server;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cli;

/// <summary>Read-only commands write nothing to the data folder: not a byte, size or mtime of any file or folder,
/// tessera.db and its -wal/-shm and the journal included, whether a server just used the folder or is using it; and
/// they work on a folder that cannot be written.</summary>
[Collection(Serial.Name)]
public sealed class ReadOnlyCommandsTests : IDisposable
{
    private static readonly string[][] Commands =
    [
        ["status"], ["status", "--json"], ["health"], ["report"], ["verify"], ["negatives"], ["monitor", "--count", "1", "--interval", "1s"],
    ];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ReadOnlyCommands_OnAFolderAServerJustUsed_ChangeNothing()
    {
        var data = await UsedFolderAsync();
        Assert.False(File.Exists(Path.Combine(data, "tessera.db-wal")), "the server did not close the index cleanly");
        var before = Snapshot(data);

        foreach (var args in Commands)
        {
            var r = await CliRunner.RunAsync([.. args, "--data", data]);
            Assert.True(r.ExitCode == 0, $"{string.Join(' ', args)}: exit {r.ExitCode}\n{r.Stderr}");
            Assert.Equal(before, Snapshot(data));
        }

        Assert.Contains("renditions", (await CliRunner.RunAsync("status", "--data", data)).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadOnlyCommands_BesideARunningServer_ChangeNothing_AndSeeItsWrites()
    {
        var library = _dir.Sub("lib");
        for (var i = 0; i < 3; i++)
        {
            Images.WriteSolidJpeg(Path.Combine(library, $"{i}.jpg"), 640, 480, (byte)(i * 60), 90, 30);
        }

        var data = Path.Combine(_dir.Path, "data");
        await using var serve = await ServeProcess.StartAsync(new Dictionary<string, string>(), "--data", data, "--library", $"lib={library}");
        for (var i = 0; i < 3; i++)
        {
            using var response = await serve.Client.GetAsync(new Uri($"/t/lib/grid/{i}.jpg", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(File.Exists(Path.Combine(data, "tessera.db-wal")), "the server should hold the index open in WAL mode");
        var before = await SettledSnapshotAsync(data);

        // The first reader after the server's last write may record its read mark in -shm, SQLite's shared-memory lock
        // table (a reader beside a writer must, to read a consistent snapshot); every other byte stays as it was.
        var first = await CliRunner.RunProcessAsync("status", "--data", data);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal(WithoutShm(before), WithoutShm(Snapshot(data)));
        before = Snapshot(data);
        foreach (var args in Commands)
        {
            var r = await CliRunner.RunProcessAsync([.. args, "--data", data]);
            Assert.True(r.ExitCode == 0, $"{string.Join(' ', args)}: exit {r.ExitCode}\n{r.Stderr}");
            Assert.Equal(before, Snapshot(data));
        }

        // It reads through the WAL: the renditions the server has not checkpointed yet are counted.
        var status = await CliRunner.RunProcessAsync("status", "--json", "--data", data);
        Assert.Contains("\"renditions\": 3", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadOnlyCommands_WorkOnAReadOnlyMount_AndServeSaysSoInOneLine()
    {
        var data = await UsedFolderAsync();
        Assert.True(Environment.IsPrivilegedProcess, "this test bind-mounts the folder read-only and needs root (CI runs as root)");
        Assert.True(Run("mount", "--bind", data, data) == 0, "bind mount failed");
        try
        {
            Assert.Equal(0, Run("mount", "-o", "remount,bind,ro", data));
            Assert.ThrowsAny<IOException>(() => File.WriteAllBytes(Path.Combine(data, "probe"), [1])); // the mount binds, even for root
            var before = Snapshot(data);
            foreach (var args in Commands.Where(a => a[0] != "health"))
            {
                var r = await CliRunner.RunProcessAsync([.. args, "--data", data]);
                Assert.True(r.ExitCode == 0, $"{string.Join(' ', args)}: exit {r.ExitCode}\n{r.Stderr}");
            }

            // health runs, and says the folder cannot take writes (exit 1: the server could not store anything).
            var health = await CliRunner.RunProcessAsync("health", "--data", data);
            Assert.True(health.ExitCode == 1, health.Stdout + health.Stderr);
            Assert.Contains("read-only mount", health.Stdout, StringComparison.Ordinal);
            Assert.Equal(before, Snapshot(data));

            var serve = await CliRunner.RunProcessAsync("serve", "--data", data, "--library", $"l={_dir.Sub("lib2")}", "--urls", "http://127.0.0.1:0");
            Assert.True(serve.ExitCode == 2, serve.Stderr);
            Assert.Single(serve.Stderr.Trim().Split('\n'));
            Assert.StartsWith($"tessera: the data folder {data} is not writable", serve.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Run("umount", "-l", data);
        }
    }

    [Fact]
    public async Task ReadOnlyCommands_WorkOnAChmodReadOnlyFolder_AsAnotherUser()
    {
        var data = await UsedFolderAsync();
        Run("chmod", "-R", "a-w", data);
        Run("chmod", "-R", "a+rX", _dir.Path);
        try
        {
            var before = Snapshot(data);
            // Run as nobody when this is root, so the permissions bind; otherwise as this user.
            foreach (var args in Commands.Where(a => a[0] != "health"))
            {
                var r = await RunAsNobodyAsync([.. args, "--data", data]);
                Assert.True(r.ExitCode == 0, $"{string.Join(' ', args)}: exit {r.ExitCode}\n{r.Stderr}");
            }

            var health = await RunAsNobodyAsync("health", "--data", data);
            Assert.True(health.ExitCode == 1, health.Stdout + health.Stderr);
            Assert.Contains("no write permission", health.Stdout, StringComparison.Ordinal);
            Assert.Equal(before, Snapshot(data));
        }
        finally
        {
            Run("chmod", "-R", "u+w", data);
        }
    }

    [Fact]
    public async Task AnIndexThatNeedsAMigration_IsOneLineAndExit2_AndIsNotMigrated()
    {
        var data = await UsedFolderAsync();
        var db = Path.Combine(data, "tessera.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA user_version = 1";
            cmd.ExecuteNonQuery();
        }

        var before = Snapshot(data);
        var (code, stdout, stderr) = await CliRunner.RunAsync("status", "--data", data);
        Assert.True(code == 2, stdout + stderr);
        Assert.StartsWith($"tessera: the index {db} has schema version 1 and this Tessera needs ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal(before, Snapshot(data));
    }

    /// <summary>A data folder a real server filled and then stopped cleanly: renditions, a negative entry, the index.</summary>
    private async Task<string> UsedFolderAsync()
    {
        var library = _dir.Sub("lib");
        Images.WriteSolidJpeg(Path.Combine(library, "a.jpg"), 800, 600, 200, 40, 40);
        Images.WriteSolidJpeg(Path.Combine(library, "b.jpg"), 600, 800, 40, 200, 40);
        File.WriteAllBytes(Path.Combine(library, "bad.jpg"), [0xFF, 0xD8, 0xFF, 1, 2, 3]);
        var options = new TesseraOptions { DataPath = Path.Combine(_dir.Path, "data") };
        options.Libraries["lib"] = library;
        await using (var app = TesseraServer.Build(options, ["http://127.0.0.1:0"], logging => logging.ClearProviders()))
        {
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
            foreach (var name in new[] { "a.jpg", "b.jpg", "bad.jpg" })
            {
                using var response = await client.GetAsync(new Uri($"/t/lib/grid/{name}", UriKind.Relative));
                Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            }

            await app.StopAsync();
        }

        return options.DataPath;
    }

    /// <summary>Waits until the running server has stopped writing: three snapshots agree over more than two of its
    /// flush intervals (Cache:FlushInterval, 5 s) and its other background rounds.</summary>
    private static async Task<string> SettledSnapshotAsync(string data)
    {
        var previous = Snapshot(data);
        var agreeing = 0;
        for (var i = 0; i < 40 && agreeing < 2; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(6));
            var now = Snapshot(data);
            agreeing = now == previous ? agreeing + 1 : 0;
            previous = now;
        }

        return agreeing >= 2 ? previous : throw new TimeoutException("the server kept writing to its data folder for four minutes");
    }

    /// <summary>Every file and folder under the data folder, with size, mtime and (files) a hash of the content.</summary>
    internal static string Snapshot(string data) => string.Join('\n', Directory.GetFileSystemEntries(data, "*", SearchOption.AllDirectories)
        .Append(data)
        .Order(StringComparer.Ordinal)
        .Select(f => File.Exists(f)
            ? $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f).Ticks} {Hash(f)}"
            : $"{f}/ {Directory.GetLastWriteTimeUtc(f).Ticks}"));

    private static string WithoutShm(string snapshot) =>
        string.Join('\n', snapshot.Split('\n').Select(l => l.Contains("tessera.db-shm ", StringComparison.Ordinal) ? l.Split(' ')[0] + " " + l.Split(' ')[1] : l));

    /// <summary>A file's SHA-256; a writer's lock file (tmp/owners, empty, held with an exclusive lock while its
    /// process lives) is compared by size and mtime only.</summary>
    private static string Hash(string file) =>
        file.EndsWith(".lock", StringComparison.Ordinal) ? "lock" : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    /// <summary>The real binary as nobody (setpriv) when this is root, so the permissions bind; otherwise as this user.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsNobodyAsync(params string[] args)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return await CliRunner.RunProcessAsync(args);
        }

        var info = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["HOME"] = "/tmp";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var a in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", CliRunner.Dll }.Concat(args))
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static int Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, UseShellExecute = false })!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }
}
