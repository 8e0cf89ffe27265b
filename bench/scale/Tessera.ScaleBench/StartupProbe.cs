using System.Diagnostics;
using System.Globalization;
using static Measure;

/// <summary>Opening a data folder: in a fresh child process (<c>Tessera.ScaleBench startup DIR</c>) and in-process.</summary>
internal static class StartupProbe
{
    public sealed record Children(List<double> Wall, List<double> Open, List<double> FirstStats);

    /// <summary>The child's side: open the folder as the hosts do, then read the stats once (cold: first call in the
    /// process, JIT included), and print both times for the parent.</summary>
    public static async Task<int> ChildAsync(string dir)
    {
        var sw = Stopwatch.StartNew();
        using var cache = await BenchCache.OpenAsync(dir).ConfigureAwait(false);
        var open = sw.Elapsed.TotalMilliseconds;
        var t0 = Stopwatch.GetTimestamp();
        var report = await cache.Stats.ReadAsync(CancellationToken.None).ConfigureAwait(false);
        var stats = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        Console.WriteLine(Inv($"open_ms={open:F1} stats_ms={stats:F1} renditions={report.Renditions}"));
        return 0;
    }

    public static Children RunChildren(string dir, int expectedRenditions)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "Tessera.ScaleBench");
        var result = new Children([], [], []);
        for (var i = 0; i < 3; i++)
        {
            var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, UseShellExecute = false };
            psi.ArgumentList.Add("startup");
            psi.ArgumentList.Add(dir);
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            result.Wall.Add(sw.Elapsed.TotalMilliseconds);
            var fields = output.Trim().Split(' ').Select(f => f.Split('=')).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
            if (p.ExitCode != 0 || !fields.TryGetValue("renditions", out var n) || n != expectedRenditions.ToString(CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"startup child failed ({p.ExitCode}) or saw the wrong count: {output}");
            }

            result.Open.Add(double.Parse(fields["open_ms"], CultureInfo.InvariantCulture));
            result.FirstStats.Add(double.Parse(fields["stats_ms"], CultureInfo.InvariantCulture));
        }

        Log(Inv($"startup {dir}: wall {Join(result.Wall)} ms, open {Join(result.Open)} ms, first stats read {Join(result.FirstStats)} ms"));
        return result;
    }

    public static async Task<List<double>> InProcessAsync(string dir)
    {
        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            using (await BenchCache.OpenAsync(dir).ConfigureAwait(false))
            {
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
        }

        return times;
    }
}
