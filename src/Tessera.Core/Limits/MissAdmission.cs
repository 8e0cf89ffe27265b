namespace Tessera.Core.Limits;

/// <summary>Whether the current request may start expensive work — a provider fetch or a generation. The host opens
/// a scope per request with its per-client limit; work outside any scope (jobs, warm, the CLI) is not limited. A
/// request asks once, at its first fetch or generation, so a hit never asks.</summary>
public sealed class MissAdmission
{
    private static readonly AsyncLocal<MissAdmission?> Current = new();
    private readonly Func<TimeSpan?> _tryAdmit;
    private bool _admitted;

    private MissAdmission(Func<TimeSpan?> tryAdmit) => _tryAdmit = tryAdmit;

    /// <summary>Opens the scope for the calling async flow. <paramref name="tryAdmit"/> answers null to admit, or
    /// how long until the client may try again.</summary>
    public static IDisposable Begin(Func<TimeSpan?> tryAdmit)
    {
        ArgumentNullException.ThrowIfNull(tryAdmit);
        var previous = Current.Value;
        Current.Value = new MissAdmission(tryAdmit);
        return new Scope(previous);
    }

    /// <summary>Throws <see cref="MissRefusedException"/> when the current request may not fetch or generate.</summary>
    public static void Require()
    {
        if (Current.Value is not { } admission)
        {
            return;
        }

        lock (admission)
        {
            if (admission._admitted)
            {
                return;
            }

            if (admission._tryAdmit() is { } retryAfter)
            {
                throw new MissRefusedException(retryAfter);
            }

            admission._admitted = true;
        }
    }

    private sealed class Scope(MissAdmission? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
