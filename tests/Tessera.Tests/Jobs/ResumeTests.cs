using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Index;
using Tessera.Core.Jobs;
using Tessera.Index.Sqlite;
using Tessera.Tests.Cli;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jobs;

/// <summary>kill -9 of real processes in the middle of a job: the checkpoint is the units' state.</summary>
public sealed class ResumeTests : IDisposable
{
    private const int Files = 120;

    // The CLI warm of tiny images is fast: with 120 it once finished between two 50 ms looks of a loaded test process,
    // before it could be killed; at 500 it runs for seconds.
    private const int CliFiles = 500;
    private readonly TempDir _dir = new();

    private string Data => Path.Combine(_dir.Path, "data");

    [Fact]
    public async Task AServerKilledMidJob_GoesOnByItselfAfterARestart_WithNoRepost_RedoingAtMostOneUnit()
    {
        var library = _dir.Sub("lib");
        JobHarness.WriteImages(library, Files);
        var environment = new Dictionary<string, string>
        {
            ["TESSERA__Jobs__WarmAtStart"] = "1s",
            ["TESSERA__Jobs__LeaseTime"] = "2s",
            ["TESSERA__Jobs__UnitSize"] = "5",
            ["TESSERA__Jobs__Concurrency"] = "1",
            ["TESSERA__Jobs__WatchLibraries"] = "false",
            ["TESSERA__Presets__grid"] = "120x120:webp:70",
        };
        string[] args = ["--data", Data, "--library", $"lib={library}"];

        await using (var first = await ServeProcess.StartAsync(environment, args))
        {
            await WaitForRenditionsAsync(n => n >= 10, first);
        } // disposing kills it: SIGKILL, no shutdown

        var atKill = Renditions();
        Assert.True(atKill < Files, $"the job finished before the kill ({atKill} renditions); the test proves nothing");

        await using (var second = await ServeProcess.StartAsync(environment, args))
        {
            await WaitForRenditionsAsync(n => n == Files, second);
            await WaitForJobAsync(j => j.Status == JobStatus.Completed);
        }

        var job = Assert.Single(await ListWarmJobsAsync()); // the restart's start-up trigger found the job, no second one
        Assert.Equal(JobTrigger.Startup, job.Trigger);
        Assert.Equal(Files, job.Counts.Total);
        Assert.Equal(0, job.Counts.Failed);
        // Renditions the killed unit had made are found again on its redo: at most one unit (5 items) skipped.
        Assert.InRange(job.Counts.Skipped, 0, 5);
        Assert.Equal(Files, job.Counts.Completed + job.Counts.Skipped);
    }

    [Fact]
    public async Task AKilledWarm_ResumesWhereItStopped_WhenRunAgain()
    {
        var media = _dir.Sub("media");
        JobHarness.WriteImages(media, CliFiles);
        string[] args = ["warm", "--data", Data, "--preset", "small=96x96:webp:70", "--presets", "small", "--parallel", "1", media];

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CliRunner.Dll);
        args.ToList().ForEach(info.ArgumentList.Add);
        using (var warm = Process.Start(info)!)
        {
            warm.OutputDataReceived += (_, _) => { };
            warm.ErrorDataReceived += (_, _) => { };
            warm.BeginOutputReadLine();
            warm.BeginErrorReadLine();
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (Renditions() < 30 && !warm.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            if (!warm.HasExited)
            {
                warm.Kill(); // SIGKILL
            }

            await warm.WaitForExitAsync();
        }

        var atKill = Renditions();
        Assert.True(atKill is >= 25 and < CliFiles, $"killed at {atKill} renditions; the test proves nothing");

        var again = await CliRunner.RunAsync(args);
        Assert.True(again.ExitCode == 0, again.Stderr);
        var job = Assert.Single(await ListWarmJobsAsync()); // the same job, resumed
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal((long)CliFiles, job.Counts.Completed + job.Counts.Skipped);
        Assert.InRange(job.Counts.Skipped, 0, 25); // one unit (25 files for the CLI) redone at most
        Assert.Contains($"warmed {job.Counts.Completed}, skipped {job.Counts.Skipped}, failed 0", again.Stdout, StringComparison.Ordinal);
    }

    private int Renditions()
    {
        var folder = Path.Combine(Data, "renditions");
        return Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count(f => !f.EndsWith(".tmp", StringComparison.Ordinal)) : 0;
    }

    private async Task WaitForRenditionsAsync(Func<int, bool> until, ServeProcess serve)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!until(Renditions()))
        {
            Assert.False(serve.HasExited, serve.Output);
            Assert.True(DateTime.UtcNow < deadline, $"only {Renditions()} renditions: {serve.Output}");
            await Task.Delay(50);
        }
    }

    private async Task WaitForJobAsync(Func<JobRecord, bool> until)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!(await ListWarmJobsAsync()).Any(until))
        {
            Assert.True(DateTime.UtcNow < deadline, "the job never finished");
            await Task.Delay(200);
        }
    }

    private async Task<IReadOnlyList<JobRecord>> ListWarmJobsAsync()
    {
        var index = SqliteIndex.Open(Path.Combine(Data, "tessera.db"), NullLogger.Instance);
        try
        {
            return await index.Jobs.ListJobsAsync(null, WarmKind.KindName, null, 10, default);
        }
        finally
        {
            index.Lifetime.Dispose();
        }
    }

    public void Dispose() => _dir.Dispose();
}
