using Tessera.Core.Storage;
using Tessera.Tests.Support;

namespace Tessera.Tests.Storage;

public sealed class VerifiedReadTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task StoredFile_ReadsWhole_AndMatchesOnlyItsOwnLengthAndChecksum()
    {
        var store = new DiskRenditionStore(new DataFolder(_dir.Path));
        byte[] bytes = [1, 2, 3, 4, 5];
        var key = VerifiedRead.Sha256(bytes);
        Assert.Null(store.ReadAll(key, "orig"));

        Directory.CreateDirectory(Path.Combine(_dir.Path, "tmp"));
        await store.WriteAsync(key, "orig", bytes, default);
        var read = store.ReadAll(key, "orig");

        Assert.Equal(bytes, read);
        Assert.Null(VerifiedRead.Mismatch(read, bytes.Length, key));
        Assert.Null(VerifiedRead.Mismatch(read, null, null));
        Assert.Equal("length 5, recorded 6", VerifiedRead.Mismatch(read, 6, key));
        Assert.Equal("checksum mismatch", VerifiedRead.Mismatch(read, 5, VerifiedRead.Sha256([5, 4, 3, 2, 1])));
    }
}
