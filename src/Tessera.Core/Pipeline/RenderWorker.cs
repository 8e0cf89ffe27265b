using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Engine;

namespace Tessera.Core.Pipeline;

/// <summary>Renders PDF pages and SVG documents in a child process (<c>tessera render-worker</c>) that can be killed.
/// poppler and librsvg draw a page in one native call that libvips' kill flag cannot interrupt; a child can be
/// stopped, so a timed-out render really ends and its CPU with it. Without a worker (none found, or
/// Encoding:WorkerPath "off") the caller renders in-process, with one warning in the log.</summary>
public sealed partial class RenderWorker
{
    private const int StderrCap = 4096;

    private readonly ILogger _logger;
    private readonly string? _configured;
    private int _warned;
    private long _renders;

    /// <param name="configuredPath">Encoding:WorkerPath: a path to the Tessera CLI, "off", or null to find it.</param>
    public RenderWorker(string? configuredPath, ILogger<RenderWorker>? logger = null)
    {
        _configured = configuredPath;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Command = configuredPath == WorkerCommand.Off ? null : WorkerCommand.Find(configuredPath);
    }

    /// <summary>Renders that ran in a worker process (started, whatever their end).</summary>
    public long Renders => Interlocked.Read(ref _renders);

    internal WorkerCommand? Command { get; }

    /// <summary>True when a worker will render; otherwise warns once (unless turned off on purpose).</summary>
    internal bool Available()
    {
        if (Command is not null)
        {
            return true;
        }

        if (_configured != WorkerCommand.Off && Interlocked.Exchange(ref _warned, 1) == 0)
        {
            NoWorker(_logger, _configured ?? "the tessera executable beside " + AppContext.BaseDirectory);
        }

        return false;
    }

    /// <summary>Runs the job in a new worker and returns the encoded thumbnail. Cancelling <paramref name="kill"/> kills
    /// the worker's process tree; the returned task completes only once the child has exited, so a slot held across
    /// it counts a render that really runs.</summary>
    internal async Task<(byte[] Bytes, int Width, int Height)> RenderAsync(RenderJob job, ReadOnlyMemory<byte> stdin, long maxOutputBytes, CancellationToken kill)
    {
        var command = Command ?? throw new InvalidOperationException("no render worker");
        var info = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Prefix.Concat(job.Arguments()))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new EngineException($"the render worker cannot start: {e.Message}", e);
        }

        Interlocked.Increment(ref _renders);
        using var killed = kill.Register(() => KillTree(process));
        var feed = FeedAsync(process.StandardInput.BaseStream, stdin);
        var errors = ReadCappedAsync(process.StandardError.BaseStream, StderrCap, truncate: true);
        byte[]? output = null;
        try
        {
            output = await ReadCappedAsync(process.StandardOutput.BaseStream, maxOutputBytes, truncate: false).ConfigureAwait(false);
        }
        finally
        {
            if (output is null)
            {
                KillTree(process); // over the byte cap, or the pipe failed: the child must not outlive this call
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await feed.ConfigureAwait(false);
        }

        var stderr = await errors.ConfigureAwait(false);
        if (kill.IsCancellationRequested)
        {
            throw new EngineException("the render worker was stopped at the decode time limit");
        }

        if (process.ExitCode != 0)
        {
            throw new EngineException($"the render worker failed ({process.ExitCode}): {OneLine(stderr)}");
        }

        var header = VipsEngine.Probe(output);
        return (output, header.Width, header.Height);
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
        catch (Win32Exception)
        {
            // exiting
        }
    }

    private static async Task FeedAsync(Stream input, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            await input.WriteAsync(bytes).ConfigureAwait(false);
            await input.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // the child exited (killed, or refused the input) before reading it all
        }
    }

    /// <summary>Reads a stream to its end; past <paramref name="cap"/>, keeps the first bytes (stderr) or fails (stdout).</summary>
    private static async Task<byte[]> ReadCappedAsync(Stream stream, long cap, bool truncate)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > cap)
            {
                if (!truncate)
                {
                    throw new EngineException($"the render worker wrote more than the {cap}-byte cap");
                }

                buffer.Write(chunk, 0, (int)Math.Max(0, cap - buffer.Length));
                continue;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The child's last line of stderr, printable and short: it may reach a response header as detail.</summary>
    private static string OneLine(byte[] stderr)
    {
        var text = System.Text.Encoding.UTF8.GetString(stderr);
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message";
        var clean = new string([.. line.Where(c => !char.IsControl(c))]);
        return clean.Length <= 200 ? clean : clean[..200] + "…";
    }

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning,
        Message = "No render worker ({Where}): PDF and SVG pages render in-process, where a decode timeout cannot stop them")]
    private static partial void NoWorker(ILogger logger, string where);
}
