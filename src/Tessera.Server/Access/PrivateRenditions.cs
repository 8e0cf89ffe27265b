using System.Collections.Concurrent;
using Tessera.Core.Index;

namespace Tessera.Server.Access;

/// <summary>Remembers which non-public libraries answered with a rendition key, so /c/{key} asks the same access
/// check. Written before the answer's headers leave (they carry the key), once per key and library per process.</summary>
internal sealed class PrivateRenditions(IRenditionIndex index)
{
    private const int MaxRemembered = 100_000;
    private readonly ConcurrentDictionary<(string Key, string Library), byte> _written = new();

    public async Task MarkAsync(string key, string library, CancellationToken cancellationToken)
    {
        if (_written.ContainsKey((key, library)))
        {
            return;
        }

        await index.MarkLibraryAsync(key, library, cancellationToken).ConfigureAwait(false);
        if (_written.Count >= MaxRemembered)
        {
            _written.Clear();
        }

        _written.TryAdd((key, library), 0);
    }

    public Task<IReadOnlyList<string>> LibrariesOfAsync(string key, CancellationToken cancellationToken) => index.LibrariesOfAsync(key, cancellationToken);
}
