using System.Security.Cryptography;

namespace Tessera.Core.Engine;

/// <summary>Starts what the first thumbnail needs (libvips and its modules; the platform's SHA-256) on a pool thread, so
/// that it overlaps a command's own start (configuration, the data folder, the index) instead of following it: 50–100 ms
/// of a short warm's wall. A failure here is left for the first real use to report, as it would without this.</summary>
public static class EngineStart
{
    public static void InBackground() => _ = Task.Run(() =>
    {
        try
        {
            _ = VipsEngine.Version;
            _ = SHA256.HashData(ReadOnlySpan<byte>.Empty);
        }
        catch (Exception e) when (e is DllNotFoundException or EngineException or EntryPointNotFoundException or TypeInitializationException)
        {
            // Reported by the first thumbnail (the Lazy keeps the failure).
        }
    });
}
