using System.Security.Cryptography;
using System.Text;

namespace Tessera.Tests.Http.Access;

/// <summary>The README's C# snippet, as an app would paste it: no Tessera reference, only the base class library.</summary>
internal static class AppSigner
{
    // --- README: C# ---
    public static string SignTessera(string path, string key, TimeSpan lifetime)
    {
        var expires = DateTimeOffset.UtcNow.Add(lifetime).ToUnixTimeSeconds();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"{path}?expires={expires}"));
        var sig = Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{path}?expires={expires}&sig={sig}";
    }
    // --- end ---
}
