using System.Globalization;
using System.Text;

/// <summary>Percentiles, medians, formatting, and the report being written.</summary>
internal static class Measure
{
    public static readonly StringBuilder Report = new();
    public static readonly List<(string Target, string Measured, bool Pass)> Verdicts = [];

    /// <summary>The value a sorted list gives at rank ceil(p × n).</summary>
    public static double Pct(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public static double Median(IReadOnlyList<double> xs)
    {
        var s = xs.Order().ToArray();
        return s[s.Length / 2];
    }

    public static string Join(IReadOnlyList<double> xs) => string.Join(", ", xs.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)));

    public static string Inv(FormattableString s) => FormattableString.Invariant(s);

    public static void Line(string text = "") => Report.AppendLine(text);

    public static void Verdict(string target, string measured, bool pass) => Verdicts.Add((target, measured, pass));

    public static void Log(string text) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {text}");

    /// <summary>"10k", "100k", "1M" for the row counts the benchmark uses.</summary>
    public static string SizeName(int rows) => rows switch
    {
        >= 1_000_000 when rows % 1_000_000 == 0 => Inv($"{rows / 1_000_000}M"),
        >= 1_000 when rows % 1_000 == 0 => Inv($"{rows / 1_000}k"),
        _ => Inv($"{rows:N0}"),
    };
}

/// <summary>A sorted sample of latencies in milliseconds.</summary>
internal sealed record Timings(double[] Sorted)
{
    public static Timings From(IEnumerable<double> ms)
    {
        var all = ms.ToArray();
        Array.Sort(all);
        return new Timings(all);
    }

    public int Count => Sorted.Length;

    public double P50 => Measure.Pct(Sorted, 0.50);

    public double P99 => Measure.Pct(Sorted, 0.99);

    public double Max => Sorted.Length == 0 ? double.NaN : Sorted[^1];

    /// <summary>"p50 / p99 / max" in ms.</summary>
    public string Cell => Measure.Inv($"{P50:F2} / {P99:F2} / {Max:F2}");
}
