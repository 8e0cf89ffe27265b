using Tessera.Vips.Interop;
namespace Tessera.Vips;

/// <summary>A libvips failure. The message carries libvips' error buffer text, which is diagnostic only:
/// the buffer is process-global, so under concurrency it may hold another thread's text too.</summary>
public sealed class VipsException : Exception
{
    public VipsException() { }

    public VipsException(string message) : base(message) { }

    public VipsException(string message, Exception innerException) : base(message, innerException) { }

    internal static VipsException FromErrorBuffer(string context)
    {
        var text = TakeErrorBuffer();
        return new VipsException(string.IsNullOrWhiteSpace(text) ? context : $"{context}: {text.Trim()}");
    }

    internal static string TakeErrorBuffer()
    {
        var ptr = LibVips.ErrorBufferCopy();
        if (ptr == 0)
        {
            return string.Empty;
        }

        try
        {
            return System.Runtime.InteropServices.Marshal.PtrToStringUTF8(ptr) ?? string.Empty;
        }
        finally
        {
            GObject.Free(ptr);
        }
    }
}
