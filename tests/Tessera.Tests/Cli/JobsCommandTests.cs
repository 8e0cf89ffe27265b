using System.Text.Json;
using Tessera.Server.Jobs;
using Tessera.Tests.Http;
using Tessera.Tests.Http.Jobs;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cli;

/// <summary>tessera jobs, in-process against a real server on loopback: list, show, pause, resume, cancel and watch,
/// their output and exit codes.</summary>
public sealed class JobsCommandTests
{
    [Fact]
    public async Task ListShowPauseResumeCancel_DriveTheServersJobs()
    {
        await using var host = await TesseraHost.StartAsync(root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 64, 64),
            o => JobApi.Configure(o, runJobs: false));
        var job = await JobApi.CreateAsync(host.Client, """{"kind":"warm","library":"lib"}""");
        string[] Args(params string[] args) => [.. args, "--server", host.BaseAddress.AbsoluteUri, "--api-key", JobApi.Key];

        var (code, stdout, stderr) = await CliRunner.RunAsync(Args("jobs", "list"));
        Assert.True(code == 0, stderr);
        Assert.Contains($"{job.Id}  warm", stdout, StringComparison.Ordinal);
        Assert.Contains("queued", stdout, StringComparison.Ordinal);

        (code, stdout, _) = await CliRunner.RunAsync(Args("jobs", "show", job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json"));
        Assert.Equal(0, code);
        var shown = JsonSerializer.Deserialize(stdout, JobApiJson.Default.JobDocument)!;
        Assert.Equal((job.Id, "queued", "lib"), (shown.Id, shown.Status, shown.Library));

        (code, stdout, _) = await CliRunner.RunAsync(Args("jobs", "list", "--status", "queued", "--json"));
        Assert.Equal(0, code);
        Assert.Equal(job.Id, Assert.Single(JsonSerializer.Deserialize(stdout, JobApiJson.Default.JobPage)!.Jobs).Id);

        var id = job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (code, stdout, _) = await CliRunner.RunAsync(Args("jobs", "pause", id));
        Assert.Equal((0, $"job {job.Id} paused"), (code, stdout.Trim()));
        Assert.Equal("paused", (await JobApi.GetAsync(host.Client, job.Id)).Status);
        (code, stdout, _) = await CliRunner.RunAsync(Args("jobs", "resume", id));
        Assert.Equal((0, $"job {job.Id} queued"), (code, stdout.Trim()));
        (code, stdout, _) = await CliRunner.RunAsync(Args("jobs", "cancel", id));
        Assert.Equal((0, $"job {job.Id} cancelled"), (code, stdout.Trim()));

        (code, _, stderr) = await CliRunner.RunAsync(Args("jobs", "resume", id));
        Assert.Equal(1, code);
        Assert.Contains($"job {job.Id} is cancelled", stderr, StringComparison.Ordinal);
        Assert.Contains("409", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await CliRunner.RunAsync(Args("jobs", "watch", id));
        Assert.Equal(1, code); // a cancelled job is no success
        (code, _, stderr) = await CliRunner.RunAsync(Args("jobs", "show", "999"));
        Assert.Equal(1, code);
        Assert.Contains("no job 999", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_FollowsARunningJobToItsEnd_AndExits0()
    {
        await using var host = await TesseraHost.StartAsync(root =>
        {
            for (var i = 0; i < 12; i++)
            {
                Images.WriteSolidJpeg(Path.Combine(root, "lib", $"w{i}.jpg"), 1200, 900);
            }
        }, o => JobApi.Configure(o));
        var job = await JobApi.CreateAsync(host.Client, """{"kind":"warm","library":"lib"}""");

        var (code, stdout, stderr) = await CliRunner.RunAsync("jobs", "watch", job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--server", host.BaseAddress.AbsoluteUri, "--api-key", JobApi.Key);

        Assert.True(code == 0, stderr);
        Assert.StartsWith($"job {job.Id} completed: 48/48 (100%)", stdout.Trim().Split('\n')[^1], StringComparison.Ordinal);
        Assert.Equal("completed", (await JobApi.GetAsync(host.Client, job.Id)).Status);
    }

    [Fact]
    public async Task WithoutTheKey_OrWithoutAServer_ItSaysWhy()
    {
        await using var host = await TesseraHost.StartAsync(_ => { }, o => JobApi.Configure(o, runJobs: false));
        var (code, _, stderr) = await CliRunner.RunAsync("jobs", "list", "--server", host.BaseAddress.AbsoluteUri);
        Assert.Equal(1, code);
        Assert.Contains("401", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await CliRunner.RunAsync("jobs", "list", "--server", "http://127.0.0.1:1", "--api-key", JobApi.Key);
        Assert.Equal(2, code);
        Assert.Contains("cannot reach the server at http://127.0.0.1:1/", stderr, StringComparison.Ordinal);
    }
}
