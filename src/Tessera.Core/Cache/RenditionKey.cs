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

    /// <summary>The settings that make a rendition, short: 12 hex digits of SHA-256 of (preset canonical string,
    /// pipeline version), recorded on each rendition row. The key already covers them, so a rendition is missing
    /// exactly when its key has no file; this names which settings made the renditions there are.</summary>
    public static string SettingsVersion(string presetCanonical, int pipelineVersion = PipelineOptions.Version)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{presetCanonical}\nv{pipelineVersion}"), hash);
        return Convert.ToHexStringLower(hash[..6]);
    }

    public override string ToString() => Value;
}
