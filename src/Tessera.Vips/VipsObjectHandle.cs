using Tessera.Vips.Interop;
using System.Runtime.InteropServices;

namespace Tessera.Vips;

/// <summary>Owns one GObject reference; releases it with g_object_unref.</summary>
internal sealed class VipsObjectHandle : SafeHandle
{
    public VipsObjectHandle() : base(0, ownsHandle: true) { }

    public VipsObjectHandle(nint owned) : base(0, ownsHandle: true) => SetHandle(owned);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        GObject.Unref(handle);
        return true;
    }
}
