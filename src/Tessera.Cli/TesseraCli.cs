using System.CommandLine;
using Tessera.Cli.Commands;
using Tessera.Core.Configuration;
using Tessera.Core.Index;

namespace Tessera.Cli;

/// <summary>The tessera command line: every command, run against the given writers (the console in the real binary;
/// buffers when tests run a command in-process). Operator mistakes get one line on the error writer and exit code 2.</summary>
internal static class TesseraCli
{
    public static RootCommand Root() => new("Tessera: a persistent thumbnail and cover cache for media libraries.")
    {
        ServeCommand.Create(),
        WarmCommand.Create(),
        StatusCommand.Create(),
        HealthCommand.Create(),
        RebuildIndexCommand.Create(),
        BackupCommand.Create(),
        RestoreCommand.Create(),
        ClearCommand.Create(),
        VerifyCommand.Create(),
        CleanupCommand.Create(),
        ReportCommand.Create(),
        MonitorCommand.Create(),
        NegativesCommand.Create(),
        SignCommand.Create(),
        JobsCommand.Create(),
        Commands.Catalog.CatalogCommand.Create(),
        RenderWorkerCommand.Create(),
    };

    /// <summary>The outermost exception in the chain an operator can act on (hosts wrap them, e.g. Kestrel's bind
    /// failure), or null for a bug, which keeps its stack trace.</summary>
    private static Exception? OperatorError(Exception e)
    {
        for (var current = e; current is not null; current = current is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : current.InnerException)
        {
            if (current is ArgumentException or FormatException or IOException or UnauthorizedAccessException or InvalidOperationException
                or TesseraConfigurationException or IndexException)
            {
                return current;
            }
        }

        return null;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        using var interruption = new Interruption(cancellationToken);
        try
        {
            // Signals are ours (Interruption), not System.CommandLine's: its handler cancelled the token and then held the
            // signal thread, so the cancellation could not be told from a failure.
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output, Error = error, ProcessTerminationTimeout = null };
            return await Root().Parse(args).InvokeAsync(invocation, interruption.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (interruption.Requested)
        {
            // Work is left as a restart expects it (a warm's leases are given back: the next warm resumes it).
            await error.WriteLineAsync("tessera: interrupted").ConfigureAwait(false);
            return Interruption.ExitCode;
        }
        catch (Exception e) when (OperatorError(e) is { } mistake)
        {
            // Operator mistakes (a missing or read-only folder, a bad value, a port in use) get one clear line, not a
            // stack trace.
            await error.WriteLineAsync($"tessera: {mistake.Message}").ConfigureAwait(false);
            return 2;
        }
    }
}
