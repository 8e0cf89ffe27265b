using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Tessera.Core.Stats;

namespace Tessera.Server.Metrics;

/// <summary>Listens to the Tessera meter from start and renders it as Prometheus text (format 0.0.4): counters as
/// NAME_total, histograms with cumulative buckets, gauges as they are observed at scrape time. Names follow
/// Prometheus conventions from the instruments' (dots to underscores, unit "s" as _seconds), which keeps the names
/// /metrics has always had.</summary>
public sealed class PrometheusExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Series> _series = new();
    private readonly Lock _scrape = new();

    /// <summary>The label text of one string-valued tag (every request counts one, outcome="hit"), built once.</summary>
    private readonly ConcurrentDictionary<(string Key, string Value), string> _singleLabels = new();

    public PrometheusExporter(TesseraMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                _series[instrument] = new Series(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Label values that are always shown (as 0 until counted), so a dashboard finds every series.</summary>
    public void Seed(string instrument, string label, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var series in _series.Values.Where(s => s.Instrument.Name == instrument))
        {
            foreach (var value in values)
            {
                series.Values.TryAdd($"{label}=\"{Escape(value)}\"", 0);
            }
        }
    }

    public string Render()
    {
        var s = new StringBuilder();
        lock (_scrape)
        {
            _listener.RecordObservableInstruments();
            foreach (var series in _series.Values.OrderBy(x => x.Instrument.Name, StringComparer.Ordinal))
            {
                series.Render(s);
            }
        }

        return s.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.TryGetValue(instrument, out var series))
        {
            series.Record(value, tags is [{ Value: string one } tag] ? SingleLabel(tag.Key, one) : Labels(tags));
        }
    }

    private string SingleLabel(string key, string value) =>
        _singleLabels.GetOrAdd((key, value), static k => $"{k.Key}=\"{Escape(k.Value)}\"");

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        var parts = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            parts.Add($"{key}=\"{Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty)}\"");
        }

        parts.Sort(StringComparer.Ordinal);
        return string.Join(',', parts);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private sealed class Series(Instrument instrument)
    {
        private readonly DurationHistogram _histogram = new();

        public Instrument Instrument { get; } = instrument;

        /// <summary>Value per label set: sums for counters, the last observation for gauges.</summary>
        public ConcurrentDictionary<string, double> Values { get; } = new(StringComparer.Ordinal);

        private bool IsHistogram => Instrument is Histogram<double>;

        private bool IsCounter => Instrument is Counter<long> or Counter<int> or Counter<double>;

        /// <summary>An observable counter reports its running total: kept as the last observation, typed a counter.</summary>
        private bool IsObservedCounter => Instrument is ObservableCounter<long>;

        private string Name => Instrument.Name.Replace('.', '_') + (Instrument.Unit == "s" ? "_seconds" : string.Empty);

        public void Record(double value, string labels)
        {
            if (IsHistogram)
            {
                _histogram.Record(TimeSpan.FromSeconds(value));
            }
            else if (IsCounter)
            {
                Values.AddOrUpdate(labels, static (_, v) => v, static (_, old, v) => old + v, value); // no closure per count
            }
            else
            {
                Values[labels] = value;
            }
        }

        public void Render(StringBuilder s)
        {
            var name = Name;
            var type = IsHistogram ? "histogram" : IsCounter || IsObservedCounter ? "counter" : "gauge";
            var exposed = IsCounter || IsObservedCounter ? name + "_total" : name;
            s.Append("# HELP ").Append(exposed).Append(' ').Append(Instrument.Description).Append('\n');
            s.Append("# TYPE ").Append(exposed).Append(' ').Append(type).Append('\n');
            if (IsHistogram)
            {
                var (cumulative, sum, count) = _histogram.Snapshot();
                for (var i = 0; i < DurationHistogram.Bounds.Length; i++)
                {
                    Sample(s, name + "_bucket", $"le=\"{DurationHistogram.Bounds[i].ToString(CultureInfo.InvariantCulture)}\"", cumulative[i]);
                }

                Sample(s, name + "_bucket", "le=\"+Inf\"", cumulative[^1]);
                Sample(s, name + "_sum", string.Empty, sum);
                Sample(s, name + "_count", string.Empty, count);
                return;
            }

            if (Values.IsEmpty)
            {
                Values.TryAdd(string.Empty, 0);
            }

            foreach (var (labels, value) in Values.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                Sample(s, exposed, labels, value);
            }
        }

        private static void Sample(StringBuilder s, string name, string labels, double value)
        {
            s.Append(name);
            if (labels.Length > 0)
            {
                s.Append('{').Append(labels).Append('}');
            }

            s.Append(' ').Append(value.ToString("0.######", CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
