using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Tessera.Server;
using static Measure;

/// <summary>The stats and health answers at one index size: StatsReader in-process, the real server's endpoints over
/// loopback HTTP, and the real `tessera status` command as a child process.</summary>
internal static class StatsEndpoints
{
    public const int WarmUp = 5;
    public const int Timed = 200;
    public const string InProcess = "StatsReader.ReadAsync (in-process)";
    public static readonly string[] Paths = ["/api/stats", "/metrics", "/healthz", "/readyz"];

    public sealed record HttpOutcome(Dictionary<string, Timings> ByPath, Dictionary<string, int> NotOk, Dictionary<string, int> BodyBytes, long ApiRenditions);

    public sealed record CliOutcome(List<double> Status, List<double> Help);

    /// <summary><see cref="WarmUp"/> untimed reads, then <see cref="Timed"/> timed ones, one after another.</summary>
    public static async Task<Timings> InProcessAsync(string dir)
    {
        using var cache = await BenchCache.OpenAsync(dir).ConfigureAwait(false);
        var times = new List<double>(Timed);
        for (var i = 0; i < WarmUp + Timed; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            await cache.Stats.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            if (i >= WarmUp)
            {
                times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        }

        return Timings.From(times);
    }

    /// <summary>The real server (TesseraServer.Build: Kestrel, every route, health checks, hosted services) on a free
    /// loopback port; each path gets sequential GETs on one kept-alive connection, body read to the end.</summary>
    private const string AdminKey = "scale-bench-admin-key-0123456789";

    public static async Task<HttpOutcome> HttpAsync(string dir)
    {
        var app = TesseraServer.Build(BenchCache.Options(dir, o => o.AdminApiKey = AdminKey), ["http://127.0.0.1:0"], logging =>
        {
            logging.ClearProviders();
            logging.AddSimpleConsole(o => o.SingleLine = true);
            logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.Warning);
        });
        await using (app.ConfigureAwait(false))
        {
            await app.StartAsync().ConfigureAwait(false);
            var baseUrl = app.Urls.First();
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(baseUrl) };
            http.DefaultRequestHeaders.Add("X-Api-Key", AdminKey); // /api/stats needs the admin key
            var outcome = new HttpOutcome([], [], [], -1);
            foreach (var path in Paths)
            {
                var times = new List<double>(Timed);
                var notOk = 0;
                var bytes = 0;
                for (var i = 0; i < WarmUp + Timed; i++)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    using var response = await http.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
                    var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                    if (i < WarmUp)
                    {
                        continue;
                    }

                    times.Add(ms);
                    bytes = body.Length;
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        notOk++;
                    }

                    if (path == "/api/stats" && i == WarmUp + Timed - 1)
                    {
                        outcome = outcome with { ApiRenditions = Renditions(body) };
                    }
                }

                outcome.ByPath[path] = Timings.From(times);
                outcome.NotOk[path] = notOk;
                outcome.BodyBytes[path] = bytes;
            }

            await app.StopAsync().ConfigureAwait(false);
            return outcome;
        }
    }

    /// <summary>`dotnet tessera.dll status --data DIR --json` and, as the floor every command pays (runtime start,
    /// assembly loading, command parsing), `dotnet tessera.dll --help`; 3 each, alternating.</summary>
    public static CliOutcome Cli(string cliDll, string dir, long expectedRenditions)
    {
        var outcome = new CliOutcome([], []);
        for (var i = 0; i < 3; i++)
        {
            var (statusMs, json) = RunCli(cliDll, "status", "--data", dir, "--json");
            if (Renditions(System.Text.Encoding.UTF8.GetBytes(json)) != expectedRenditions)
            {
                throw new InvalidOperationException($"tessera status saw the wrong count: {json}");
            }

            outcome.Status.Add(statusMs);
            outcome.Help.Add(RunCli(cliDll, "--help").Ms);
        }

        Log(Inv($"tessera status {dir}: {Join(outcome.Status)} ms; --help {Join(outcome.Help)} ms"));
        return outcome;
    }

    private static (double Ms, string Output) RunCli(string cliDll, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(cliDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var ms = sw.Elapsed.TotalMilliseconds;
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"tessera {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}");
        }

        return (ms, output);
    }

    private static long Renditions(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("renditions").GetInt64();
    }
}
