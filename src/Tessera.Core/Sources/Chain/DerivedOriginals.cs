using Tessera.Core.Cache;
using Tessera.Core.Engine;
using Tessera.Core.Index;
using Tessera.Core.Pipeline;
using Tessera.Core.Storage;

namespace Tessera.Core.Sources.Chain;

/// <summary>Originals derived from a media file by ffmpeg, remembered per (content hash, step): in memory, in the
/// index across restarts, and as bytes in the <see cref="OriginalStore"/>. One extraction per file however many
/// presets or requests ask, under the global encode limit. "Nothing there" is remembered too; failures are not
/// (the item's negative entry holds them, with their own retry times).</summary>
public sealed class DerivedOriginals(IDerivedIndex index, OriginalStore originals, GenerationLimiter limiter)
{
    private readonly DerivedMemory _memory = new(index, 200_000);
    private readonly SingleFlight<StepOutcome> _flights = new();
    private long _extractions;

    /// <summary>How many times ffmpeg (or another extractor) actually ran.</summary>
    public long Extractions => Interlocked.Read(ref _extractions);

    public Task<StepOutcome> GetAsync(string source, string step, Func<CancellationToken, Task<byte[]?>> extract, CancellationToken cancellationToken) =>
        GetAsync(source, step, extract, WorkPriority.Live, cancellationToken);

    /// <summary>The original derived by <paramref name="step"/>, extracted now at <paramref name="priority"/> when it is
    /// not known; a live caller joining a background extraction promotes it.</summary>
    public async Task<StepOutcome> GetAsync(string source, string step, Func<CancellationToken, Task<byte[]?>> extract, WorkPriority priority,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extract);
        var known = await _memory.GetAsync(source, step, cancellationToken).ConfigureAwait(false);
        if (known is not null)
        {
            return known.Original is { } hash
                ? StepOutcome.Of(new Original(hash, step, null) { Rederive = ct => RederiveAsync(extract, step, ct) })
                : StepOutcome.Nothing(step, known.Detail ?? "nothing found");
        }

        return await _flights.RunAsync(source + "\n" + step, priority, p => ExtractAsync(source, step, extract, p)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets what was derived from these sources (a purge): memory and index.</summary>
    public Task<IReadOnlyList<string>> ForgetAsync(IReadOnlyCollection<string> sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return _memory.ForgetAsync(sources, cancellationToken);
    }

    /// <summary>Forgets, in memory only, what was derived from these sources (null: everything).</summary>
    public void DropMemory(IReadOnlyCollection<string>? sources) => _memory.Drop(sources);

    /// <summary>The originals downloaded from URLs with these prefixes.</summary>
    public Task<IReadOnlyList<string>> OriginalsFromAsync(IReadOnlyList<string> sourcePrefixes, CancellationToken cancellationToken) =>
        index.OriginalsFromAsync(sourcePrefixes, cancellationToken);

    private async Task<StepOutcome> ExtractAsync(string source, string step, Func<CancellationToken, Task<byte[]?>> extract, FlightPriority priority)
    {
        byte[]? bytes;
        try
        {
            using var slot = await limiter.AcquireAsync(0, priority, CancellationToken.None).ConfigureAwait(false);
            Interlocked.Increment(ref _extractions);
            bytes = await extract(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ExternalToolException e)
        {
            return StepOutcome.Failed(step, FailureReason.DecodeFailed, e.Message);
        }
        catch (TimeoutException e)
        {
            return StepOutcome.Failed(step, FailureReason.Timeout, e.Message);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return StepOutcome.Missing(step, "source file not found");
        }

        if (bytes is not { Length: > 0 })
        {
            var none = new DerivedOriginal(source, step, null, step == Steps.Embedded ? "no embedded image" : "nothing found");
            await _memory.PutAsync(none).ConfigureAwait(false);
            return StepOutcome.Nothing(step, none.Detail!);
        }

        if (Unreadable(bytes) is { } why)
        {
            return StepOutcome.Failed(step, FailureReason.DecodeFailed, $"the {step} image is unreadable: {why}");
        }

        var hash = await originals.TryPutAsync(bytes, CancellationToken.None).ConfigureAwait(false);
        await _memory.PutAsync(new DerivedOriginal(source, step, hash, null)).ConfigureAwait(false);
        return StepOutcome.Of(new Original(hash, step, null) { Rederive = _ => Task.FromResult(bytes) });
    }

    private async Task<byte[]> RederiveAsync(Func<CancellationToken, Task<byte[]?>> extract, string step, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _extractions);
        var bytes = await extract(cancellationToken).ConfigureAwait(false)
            ?? throw new ThumbnailException(FailureReason.NotFound, $"the {step} image is no longer there");
        await originals.TryPutAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    /// <summary>A header check, so an extracted image libvips cannot read lets the chain go on to the next step.</summary>
    internal static string? Unreadable(byte[] bytes)
    {
        try
        {
            var header = VipsEngine.Probe(bytes);
            return header.Width > 0 && header.Height > 0 ? null : "empty image";
        }
        catch (EngineException e)
        {
            return e.Message.Split('\n', 2)[0];
        }
    }
}
