using Tessera.Vips;

namespace Tessera.Core.Engine;

/// <summary>Where libvips compiles and frees its run-time SIMD code (liborc), one thread at a time.
/// liborc 0.4.33 (Debian 12's) allocates and frees the executable memory of compiled programs without enough locking:
/// 10,000-image warms on two cores crashed inside liborc in 2 of 3 runs (bench/jobs/README.md; orc 0.4.34 fixed
/// thread-safety bugs in the same code). libvips compiles orc programs only while an operation is built (the vertical
/// reduce of a resize compiles its passes in its build) and frees them when that operation is finalized, which is when
/// the last image of the pipeline is released. So a pipeline is built under this gate and released under it; running it
/// (decode, resize, encode: the pixel work) stays parallel, since executing compiled code allocates nothing in liborc.</summary>
internal static class VectorGate
{
    private static readonly Lock Gate = new();

    /// <summary>Builds a pipeline (a thumbnail operation and everything it builds) under the gate.</summary>
    public static GatedImage Build(Func<VipsImage> build)
    {
        lock (Gate)
        {
            return new GatedImage(build());
        }
    }

    /// <summary>A pipeline's output, released under the gate: the release that finalizes its operations frees their
    /// compiled code. Images made from it (colour conversion, a metadata-free copy) must be disposed first.</summary>
    internal sealed class GatedImage(VipsImage image) : IDisposable
    {
        public VipsImage Image { get; } = image;

        public void Dispose()
        {
            lock (Gate)
            {
                Image.Dispose();
            }
        }
    }
}
