using Tessera.Core.Sources;
using Tessera.Tests.Support;

namespace Tessera.Tests.Sources;

/// <summary>A path resolved before costs one stat, and the stat it took is the one the request uses; a file that is
/// not the version the walk found inside the library is walked again, so the guard still holds.</summary>
public sealed class FolderLibraryTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (FolderLibrary Library, string File) Library()
    {
        var root = _dir.Sub("lib");
        Directory.CreateDirectory(Path.Combine(root, "a", "b"));
        var file = Images.WriteSolidJpeg(Path.Combine(root, "a", "b", "x.jpg"), 64, 64);
        return (new FolderLibrary("lib", root), file);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/a/b/x.jpg")]
    [InlineData("a//b/x.jpg")]
    [InlineData("a/b/")]
    [InlineData("./a/b/x.jpg")]
    [InlineData("a/./b/x.jpg")]
    [InlineData("a/../a/b/x.jpg")]
    [InlineData("a/b/..")]
    [InlineData("..")]
    [InlineData("a\\b\\x.jpg")]
    [InlineData("a/b/x\u0000.jpg")]
    [InlineData("a/b/x\u001F.jpg")]
    [InlineData("a/b/x\u007F.jpg")]
    [InlineData("a/b/x\u0085.jpg")]
    public void Resolve_RefusesPathsThatAreNotPlainRelativeOnes(string path)
    {
        var (library, _) = Library();
        Assert.Equal(PathOutcome.Invalid, library.Resolve(path).Outcome);
    }

    [Theory]
    [InlineData("a/b/x.jpg", PathOutcome.Found)]
    [InlineData("a/b", PathOutcome.Found)]
    [InlineData("a/b/...jpg", PathOutcome.Missing)]
    [InlineData("a/.hidden/x.jpg", PathOutcome.Missing)]
    [InlineData("a/..b/x.jpg", PathOutcome.Missing)]
    [InlineData("a/b/x.jpg.", PathOutcome.Missing)]
    [InlineData("a/b/\u00e9t\u00e9 \u2014 x.jpg", PathOutcome.Missing)]
    public void Resolve_TakesEveryOtherRelativePath(string path, PathOutcome expected)
    {
        var (library, _) = Library();
        Assert.Equal(expected, library.Resolve(path).Outcome);
    }

    [Fact]
    public void Resolve_HandsOnTheStampItTook_TheFilesOwn()
    {
        var (library, file) = Library();
        var first = library.Resolve("a/b/x.jpg");
        var second = library.Resolve("a/b/x.jpg");

        Assert.Equal(PathOutcome.Found, second.Outcome);
        Assert.Equal(file, second.FullPath);
        Assert.Equal(FileStamp.Of(file), first.Stamp);
        Assert.Equal(FileStamp.Of(file), second.Stamp);
        Assert.Null(library.Resolve("a/b").Stamp); // a folder is found without one
        Assert.Equal(PathOutcome.Found, library.Resolve("a/b").Outcome);
    }

    [Fact]
    public void Resolve_OfAFileSeenBefore_RefusesItOnceAFolderOnTheWayLeadsOutOfTheLibrary()
    {
        var (library, _) = Library();
        Assert.Equal(PathOutcome.Found, library.Resolve("a/b/x.jpg").Outcome);

        // The folder is replaced by a symlink to a copy outside the library: another file, so the path is walked again.
        var outside = _dir.Sub("outside");
        Directory.CreateDirectory(Path.Combine(outside, "b"));
        File.Copy(Path.Combine(library.Root, "a", "b", "x.jpg"), Path.Combine(outside, "b", "x.jpg"));
        Directory.Delete(Path.Combine(library.Root, "a"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(library.Root, "a"), outside);

        var after = library.Resolve("a/b/x.jpg");
        Assert.Equal(PathOutcome.Invalid, after.Outcome);
        Assert.Null(after.FullPath);
    }

    [Fact]
    public void Resolve_OfAFileReplacedInPlace_GivesTheNewFilesStamp()
    {
        var (library, file) = Library();
        var before = library.Resolve("a/b/x.jpg").Stamp!.Value;
        var mtime = File.GetLastWriteTimeUtc(file);

        // A new file renamed over the old one, its mtime and size put back (rsync -t of a same-length edit).
        var temp = file + ".tmp";
        File.WriteAllBytes(temp, File.ReadAllBytes(file));
        File.SetLastWriteTimeUtc(temp, mtime);
        File.Move(temp, file, overwrite: true);

        var after = library.Resolve("a/b/x.jpg");
        Assert.Equal(PathOutcome.Found, after.Outcome);
        Assert.Equal(FileStamp.Of(file), after.Stamp);
        Assert.NotEqual(before.Inode, after.Stamp!.Value.Inode);
    }

    [Fact]
    public void Resolve_OfAFileDeletedSinceItWasSeen_IsMissing()
    {
        var (library, file) = Library();
        Assert.Equal(PathOutcome.Found, library.Resolve("a/b/x.jpg").Outcome);
        File.Delete(file);
        Assert.Equal(PathOutcome.Missing, library.Resolve("a/b/x.jpg").Outcome);
    }
}
