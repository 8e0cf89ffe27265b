using System.Runtime.InteropServices;

namespace Tessera.Cli;

/// <summary>Ctrl+C and SIGTERM (a supervisor, <c>timeout</c>): the first cancels the running command's token, which
/// then unwinds as it would on any cancellation and is reported as one line and exit code 130 — not as an unhandled
/// exception with a stack trace, as it was when System.CommandLine's own handler cancelled it. A second signal
/// terminates the process at once (a command that does not stop on its token can still be stopped).</summary>
internal sealed class Interruption : IDisposable
{
    /// <summary>Exit code of an interrupted command (128 + SIGINT, as shells report it).</summary>
    public const int ExitCode = 130;

    private readonly CancellationTokenSource _cancel;
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    public Interruption(CancellationToken outer)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled at the first signal (or when the outer token is).</summary>
    public CancellationToken Token => _cancel.Token;

    public bool Requested => Token.IsCancellationRequested;

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signals) > 1)
        {
            return; // the default action: the process ends now
        }

        context.Cancel = true;
        _cancel.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancel.Dispose();
    }
}
