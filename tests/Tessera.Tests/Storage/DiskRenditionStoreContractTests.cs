using Tessera.Core.Storage;
using Tessera.Tests.Support;

namespace Tessera.Tests.Storage;

public sealed class DiskRenditionStoreContractTests : RenditionStoreContract
{
    private readonly TempDir _dir = new();
    private readonly DiskRenditionStore _store;

    public DiskRenditionStoreContractTests() => _store = new DiskRenditionStore(DataFolder.Open(_dir.Path));

    protected override IRenditionStore Store => _store;

    protected override async Task CorruptAsync(string key, string extension)
    {
        var path = _store.PathOf(key, extension);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0xff;
        await File.WriteAllBytesAsync(path, bytes);
    }

    public override void Dispose()
    {
        _dir.Dispose();
        base.Dispose();
    }
}
