using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Tessera.Server.Dashboard;

/// <summary>The dashboard's sign-ins: a random id (256 bits, base64url) mapped here to its expiry, so the cookie never
/// holds the admin key and a sign-out or a restart ends it. Bounded: past <see cref="MaxSessions"/> the oldest go.</summary>
internal sealed class DashboardSessions(TimeProvider clock)
{
    public const string CookieName = "tessera_session";
    public const int MaxSessions = 1000;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    public int Count => _expiries.Count;

    /// <summary>A new session's id, valid for <see cref="Lifetime"/>.</summary>
    public string Start()
    {
        var now = clock.GetUtcNow();
        if (_expiries.Count >= MaxSessions)
        {
            Prune(now);
        }

        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _expiries[id] = now + Lifetime;
        return id;
    }

    /// <summary>Whether <paramref name="id"/> names a session that has not expired (an expired one is forgotten).</summary>
    public bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64 || !_expiries.TryGetValue(id, out var expires))
        {
            return false;
        }

        if (expires > clock.GetUtcNow())
        {
            return true;
        }

        _expiries.TryRemove(id, out _);
        return false;
    }

    public void End(string? id)
    {
        if (!string.IsNullOrEmpty(id))
        {
            _expiries.TryRemove(id, out _);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (id, expires) in _expiries)
        {
            if (expires <= now)
            {
                _expiries.TryRemove(id, out _);
            }
        }

        // Still full: the sessions closest to expiry (the oldest) make room.
        foreach (var (id, _) in _expiries.OrderBy(e => e.Value).Take(Math.Max(0, _expiries.Count - MaxSessions + 1)))
        {
            _expiries.TryRemove(id, out _);
        }
    }
}
