using System.Security.Cryptography;
using System.Text;
using Tessera.Core.Pipeline;

namespace Tessera.Core.Cache;

/// <summary>SHA-256 of (source content hash, preset canonical string, pipeline version), as 64 hex digits.
/// The same content under many names shares one set of renditions; a pipeline version bump changes every key.</summary>
public readonly record struct RenditionKey(string Value)
{
    public static RenditionKey Compute(string contentHash, string presetCanonical, int pipelineVersion = PipelineOptions.Version)
    {
        var text = $"{contentHash}\n{presetCanonical}\nv{pipelineVersion}";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return new RenditionKey(Convert.ToHexStringLower(hash));
    }

    public override string ToString() => Value;
}
