using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Configuration;
using Tessera.Core.Index;
using Tessera.Server;
using Tessera.Server.Background;
using Tessera.Tests.Support;

namespace Tessera.Tests.Server;

public sealed class BackgroundLoopTests
{
    [Fact]
    public async Task ALoop_SurvivesStorageErrors_ReportsThemOnceTheyLast_AndRecovers()
    {
        var clock = new FakeTimeProvider();
        var loops = new BackgroundLoops(clock);
        using var loop = new ScriptedLoop("flaky", loops, failFirst: 4, e => e % 2 == 0
            ? new IndexException(IndexFailure.Full, "database or disk is full", null)
            : new IOException("No space left on device"));
        await loop.StartAsync(CancellationToken.None);

        await loop.WaitForRunsAsync(3);
        Assert.Equal(TimeSpan.FromMilliseconds(160), loop.MaxBackoff);
        Assert.Empty(loops.Failing()); // failing, but not for long yet (fake clock)
        clock.Advance(TimeSpan.FromMinutes(1));
        var failing = Assert.Single(loops.Failing());
        Assert.Matches(@"^flaky failing for 60 s \(\d failures\): (database or disk is full|No space left on device)$", failing);

        await loop.WaitForRunsAsync(6);
        Assert.Empty(loops.Failing());
        await loop.StopAsync(CancellationToken.None);
        Assert.True(loop.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task AFatalError_StopsTheHost_AndIsReported()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(new BackgroundLoops(TimeProvider.System));
        builder.Services.AddHostedService(sp => new ScriptedLoop("doomed", sp.GetRequiredService<BackgroundLoops>(), failFirst: 1, _ => new InsufficientExecutionStackException("no stack")));
        builder.Services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);
        using var host = builder.Build();
        await host.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.WaitForShutdownAsync(timeout.Token);

        var fatal = FatalStop.Of(host.Services);
        Assert.IsType<InsufficientExecutionStackException>(fatal);
    }

    [Fact]
    public void TheFlushInterval_IsASetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Data"] = "/tmp/d", ["Cache:FlushInterval"] = "2s" }).Build();
        Assert.Equal(TimeSpan.FromSeconds(2), TesseraConfiguration.Read(configuration).FlushInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), new Tessera.Core.TesseraOptions().FlushInterval);

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Data"] = "/tmp/d", ["Cache:FlushInterval"] = "0s" }).Build();
        var e = Assert.Throws<TesseraConfigurationException>(() => TesseraConfiguration.Read(bad));
        Assert.Equal("Cache:FlushInterval", e.Key);
    }

    private sealed class ScriptedLoop(string name, BackgroundLoops loops, int failFirst, Func<int, Exception> failure)
        : BackgroundLoop(name, TimeSpan.FromMilliseconds(20), loops, NullLogger.Instance)
    {
        private int _runs;

        public async Task WaitForRunsAsync(int runs)
        {
            for (var i = 0; i < 500 && Volatile.Read(ref _runs) < runs; i++)
            {
                await Task.Delay(20);
            }

            Assert.True(Volatile.Read(ref _runs) >= runs, $"only {_runs} runs");
        }

        protected override Task RunOnceAsync(CancellationToken cancellationToken)
        {
            var run = Interlocked.Increment(ref _runs);
            return run <= failFirst ? Task.FromException(failure(run)) : Task.CompletedTask;
        }
    }
}
