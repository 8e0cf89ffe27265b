namespace Tessera.Core.Storage;

/// <summary>Rendition keys are 64 lowercase hex digits (SHA-256); anything else never reaches the file system.</summary>
public static class RenditionKeyFormat
{
    public static bool IsValid(string key) =>
        key.Length == 64 && key.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    public static void Check(string key)
    {
        if (!IsValid(key))
        {
            throw new ArgumentException("a rendition key is 64 lowercase hex digits", nameof(key));
        }
    }
}
