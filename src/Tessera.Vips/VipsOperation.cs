using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>One libvips operation driven through the GObject property API:
/// vips_operation_new → g_object_set_property → vips_cache_operation_build → g_object_get_property →
/// vips_object_unref_outputs. Inputs are converted to GValues by the argument's declared GType.</summary>
internal sealed unsafe class VipsOperation : IDisposable
{
    private readonly string _name;
    private nint _op;
    private bool _built;

    private VipsOperation(string name, nint op)
    {
        _name = name;
        _op = op;
    }

    public static VipsOperation Create(string name)
    {
        VipsRuntime.EnsureStarted();
        var op = LibVips.OperationNew(name); // +1 ref
        if (op == 0 && VipsModules.Deferred)
        {
            LibVips.ErrorClear(); // may be a deferred module's (heifsave_buffer, pdfload, …)
            VipsRuntime.EnsureModules();
            op = LibVips.OperationNew(name);
        }

        if (op == 0)
        {
            throw VipsException.FromErrorBuffer($"unknown libvips operation '{name}'");
        }

        return new VipsOperation(name, op);
    }

    public VipsOperation Set(string name, object value)
    {
        var type = ArgumentType(name);
        var gv = default(GValue);
        GObject.ValueInit(&gv, type);
        try
        {
            Fill(&gv, type, name, value);
            GObject.SetProperty(_op, name, &gv);
        }
        finally
        {
            GObject.ValueUnset(&gv);
        }

        return this;
    }

    public void Build()
    {
        var built = LibVips.CacheOperationBuild(_op); // +1 ref on the built operation
        if (built == 0)
        {
            var error = VipsException.FromErrorBuffer($"{OperationName()} failed");
            LibVips.ObjectUnrefOutputs(_op);
            throw error;
        }

        GObject.Unref(_op);
        _op = built;
        _built = true;
    }

    /// <summary>An output image, with its own reference.</summary>
    public VipsImage GetImage(string name)
    {
        var gv = GetOutput(name);
        try
        {
            var obj = GObject.ValueGetObject(&gv); // borrowed
            return new VipsImage(new VipsObjectHandle(GObject.Ref(obj)));
        }
        finally
        {
            GObject.ValueUnset(&gv);
        }
    }

    /// <summary>An output double, e.g. the result of "avg".</summary>
    public double GetDouble(string name)
    {
        var gv = GetOutput(name);
        try
        {
            return GObject.ValueGetDouble(&gv);
        }
        finally
        {
            GObject.ValueUnset(&gv);
        }
    }

    /// <summary>An output blob, copied into managed memory.</summary>
    public byte[] GetBlob(string name)
    {
        var gv = GetOutput(name);
        try
        {
            var blob = GObject.ValueGetBoxed(&gv); // borrowed
            nuint length;
            var data = LibVips.BlobGet(blob, &length);
            return new ReadOnlySpan<byte>(data, checked((int)length)).ToArray();
        }
        finally
        {
            GObject.ValueUnset(&gv);
        }
    }

    public void Dispose()
    {
        if (_op == 0)
        {
            return;
        }

        if (_built)
        {
            LibVips.ObjectUnrefOutputs(_op);
        }

        GObject.Unref(_op);
        _op = 0;
    }

    private GValue GetOutput(string name)
    {
        if (!_built)
        {
            throw new InvalidOperationException("Build the operation before reading outputs.");
        }

        var gv = default(GValue);
        GObject.ValueInit(&gv, ArgumentType(name));
        GObject.GetProperty(_op, name, &gv);
        return gv;
    }

    private nuint ArgumentType(string name)
    {
        nint pspec, argClass, argInstance;
        if (LibVips.ObjectGetArgument(_op, name, &pspec, &argClass, &argInstance) != 0)
        {
            LibVips.ErrorClear();
            throw new ArgumentException($"libvips operation {OperationName()} has no argument '{name}'", nameof(name));
        }

        // GParamSpec: { GTypeInstance; const gchar *name; GParamFlags flags; GType value_type; ... }
        return *(nuint*)(pspec + 24);
    }

    private string OperationName() => _name;

    private static void Fill(GValue* gv, nuint type, string name, object value)
    {
        var fundamental = GObject.TypeFundamental(type);
        switch (fundamental)
        {
            case FundamentalType.Boolean:
                GObject.ValueSetBoolean(gv, (bool)value ? 1 : 0);
                break;
            case FundamentalType.Int:
                GObject.ValueSetInt(gv, Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case FundamentalType.UInt64:
                GObject.ValueSetUInt64(gv, Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case FundamentalType.Double:
                GObject.ValueSetDouble(gv, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case FundamentalType.String:
                GObject.ValueSetString(gv, (string)value);
                break;
            case FundamentalType.Enum:
                GObject.ValueSetEnum(gv, value is string nick ? EnumValue(type, name, nick) : Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case FundamentalType.Flags:
                GObject.ValueSetFlags(gv, Convert.ToUInt32(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case FundamentalType.Object:
                GObject.ValueSetObject(gv, ((VipsImage)value).DangerousPointer);
                break;
            case FundamentalType.Boxed:
                FillBoxed(gv, type, name, value);
                break;
            default:
                throw new ArgumentException($"argument '{name}' has a GType Tessera does not bind ({type})", nameof(name));
        }
    }

    private static void FillBoxed(GValue* gv, nuint type, string name, object value)
    {
        if (type == LibVips.BlobGetType() && value is ReadOnlyMemory<byte> bytes)
        {
            using var pin = bytes.Pin();
            var blob = LibVips.BlobCopy(pin.Pointer, (nuint)bytes.Length); // +1 ref
            GObject.ValueSetBoxed(gv, blob); // the GValue takes its own ref
            LibVips.AreaUnref(blob);
            return;
        }

        if (type == LibVips.ArrayDoubleGetType() && value is double[] doubles)
        {
            fixed (double* p = doubles)
            {
                LibVips.ValueSetArrayDouble(gv, p, doubles.Length);
            }

            return;
        }

        throw new ArgumentException($"argument '{name}' takes a boxed type Tessera does not bind from {value.GetType().Name}", nameof(name));
    }

    private static int EnumValue(nuint type, string name, string nick)
    {
        var v = LibVips.EnumFromNick("tessera", type, nick);
        if (v < 0)
        {
            LibVips.ErrorClear();
            throw new ArgumentException($"'{nick}' is not a valid value for '{name}'", nameof(name));
        }

        return v;
    }
}
