using System.Runtime.InteropServices;
using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>Where libvips' warnings go. GLib prints them to stderr unless a handler takes them; the binding offers the
/// handler, the host decides what to do with the messages.</summary>
public static unsafe class VipsLog
{
    private static readonly Lock Gate = new();
    private static Action<VipsLogMessage>? _handler;
    private static bool _installed;

    /// <summary>Sends every GLib log message of the process (any domain without its own handler) to
    /// <paramref name="handler"/>, on whichever thread logged it; null gives them back to GLib's stderr printer.
    /// The handler must be quick and must not throw; an exception it throws is dropped.</summary>
    public static void SetHandler(Action<VipsLogMessage>? handler)
    {
        lock (Gate)
        {
            Volatile.Write(ref _handler, handler);
            if (!_installed)
            {
                GLog.SetDefaultHandler(&OnLog, 0);
                _installed = true;
            }
        }
    }

    /// <summary>A message of the binding's own (domain "VIPS"), to the handler as libvips' messages go, else to stderr.</summary>
    internal static void Report(VipsLogLevel level, string text)
    {
        if (Volatile.Read(ref _handler) is { } handler)
        {
            try
            {
                handler(new VipsLogMessage("VIPS", level, text));
            }
#pragma warning disable CA1031 // as for libvips' own messages: a handler's exception is dropped
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            return;
        }

        Console.Error.WriteLine($"VIPS-{level.ToString().ToUpperInvariant()}: {text}");
    }

    [UnmanagedCallersOnly]
    private static void OnLog(byte* domain, int flags, byte* message, nint userData)
    {
        var handler = Volatile.Read(ref _handler);
        if (handler is null)
        {
            GLog.DefaultHandler(domain, flags, message, userData);
            return;
        }

        try
        {
            var text = Marshal.PtrToStringUTF8((nint)message) ?? string.Empty;
            handler(new VipsLogMessage(Marshal.PtrToStringUTF8((nint)domain) ?? string.Empty, LevelOf(flags), text.TrimEnd()));
        }
#pragma warning disable CA1031 // an exception must not unwind into native code: that would end the process
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static VipsLogLevel LevelOf(int flags) => (flags & GLog.LevelMask) switch
    {
        var l when (l & (1 << 2)) != 0 => VipsLogLevel.Error,
        var l when (l & (1 << 3)) != 0 => VipsLogLevel.Critical,
        var l when (l & (1 << 4)) != 0 => VipsLogLevel.Warning,
        var l when (l & (1 << 5)) != 0 => VipsLogLevel.Message,
        var l when (l & (1 << 6)) != 0 => VipsLogLevel.Info,
        _ => VipsLogLevel.Debug,
    };
}
