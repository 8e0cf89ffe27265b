using System.Security.Cryptography;

namespace Tessera.Core.Engine;

/// <summary>Starts what the first thumbnail needs (libvips and its modules; the platform's SHA-256) on a pool thread, so
/// that it overlaps a command's own start (configuration, the data folder, the index) instead of following it: 50–100 ms
/// of a short warm's wall. A failure here is left for the first real use to report, as it would without this.</summary>
public static class EngineStart
{
    private static int _started;

    /// <summary>Starts it once per process; later calls do nothing.</summary>
    public static void InBackground()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = Task.Run(Start);
        }
    }

    private static void Start()
    {
        try
        {
            // OpenSSL first: it loads in a few milliseconds, and the command's first source hash needs it soon. After
            // libvips (about 100 libraries, tens of milliseconds under the dynamic loader's lock) that hash waited for
            // all of libvips' load before it could load OpenSSL itself.
            _ = SHA256.HashData(ReadOnlySpan<byte>.Empty);
            _ = VipsEngine.Version;
        }
        catch (Exception e) when (e is DllNotFoundException or EngineException or EntryPointNotFoundException or TypeInitializationException)
        {
            // Reported by the first thumbnail (the Lazy keeps the failure).
        }
    }
}
