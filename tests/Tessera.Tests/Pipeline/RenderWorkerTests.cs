using Microsoft.Extensions.Logging;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Tests.Support;

namespace Tessera.Tests.Pipeline;

/// <summary>PDF and SVG pages render in the <c>tessera render-worker</c> process (found beside the test assemblies,
/// as for an embedding host) exactly as in-process, and without a worker they still render in-process, with one warning.</summary>
public sealed class RenderWorkerTests
{
    private static readonly Preset Grid = new("grid", 400, 400);

    [Fact]
    public async Task CorpusPdf_ThroughTheWorker_MatchesTheInProcessRender()
    {
        var pdf = Corpus.Path("formats/debian-refcard__refcard-en-a4.pdf");
        var worker = new RenderWorker(null);
        var inWorker = await new Thumbnailer(new PipelineOptions(), worker: worker).FromFileAsync(pdf, Grid, OutputFormat.Png);
        var inProcess = await new Thumbnailer(new PipelineOptions { WorkerPath = "off" }).FromFileAsync(pdf, Grid, OutputFormat.Png);

        Assert.Equal(1, worker.Renders);
        Assert.Equal((inProcess.Width, inProcess.Height, inProcess.Format), (inWorker.Width, inWorker.Height, inWorker.Format));
        Assert.Equal(400, Math.Max(inWorker.Width, inWorker.Height));
        Assert.Equal(inProcess.Bytes, inWorker.Bytes); // the same libvips and poppler, the same lossless encode
    }

    [Fact]
    public async Task Svg_ThroughTheWorker_MatchesTheInProcessRender()
    {
        using var temp = new TempDir();
        var svg = Path.Combine(temp.Path, "a.svg");
        File.WriteAllText(svg, """<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150"><rect width="300" height="150" fill="#3a6"/><circle cx="80" cy="75" r="50" fill="#c22"/></svg>""");
        var worker = new RenderWorker(null);
        var inWorker = await new Thumbnailer(new PipelineOptions(), worker: worker).FromFileAsync(svg, Grid, OutputFormat.Png);
        var inProcess = await new Thumbnailer(new PipelineOptions { WorkerPath = "off" }).FromFileAsync(svg, Grid, OutputFormat.Png);

        Assert.Equal(1, worker.Renders);
        Assert.Equal((inProcess.Width, inProcess.Height), (inWorker.Width, inWorker.Height));
        Assert.Equal(inProcess.Bytes, inWorker.Bytes);
    }

    [Fact]
    public async Task MissingWorkerPath_RendersInProcess_AndWarnsOnce()
    {
        var log = new ListLogger();
        var worker = new RenderWorker("/nonexistent/tessera", log);
        var thumbnailer = new Thumbnailer(new PipelineOptions(), worker: worker);
        var pdf = Corpus.Path("formats/debian-refcard__refcard-en-a4.pdf");

        var first = await thumbnailer.FromFileAsync(pdf, Grid, OutputFormat.WebP);
        var second = await thumbnailer.FromFileAsync(pdf, new Preset("thumb", 160, 160), OutputFormat.WebP);

        Assert.Equal((400, 160), (Math.Max(first.Width, first.Height), Math.Max(second.Width, second.Height)));
        Assert.Equal(0, worker.Renders);
        var warning = Assert.Single(log.Lines);
        Assert.Contains("/nonexistent/tessera", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerOff_RendersInProcess_WithoutAWarning()
    {
        var log = new ListLogger();
        var worker = new RenderWorker("off", log);
        var thumbnail = await new Thumbnailer(new PipelineOptions(), worker: worker)
            .FromFileAsync(Corpus.Path("formats/debian-refcard__refcard-en-a4.pdf"), Grid, OutputFormat.WebP);

        Assert.Equal(400, Math.Max(thumbnail.Width, thumbnail.Height));
        Assert.Equal(0, worker.Renders);
        Assert.Empty(log.Lines);
    }

    private sealed class ListLogger : ILogger<RenderWorker>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
