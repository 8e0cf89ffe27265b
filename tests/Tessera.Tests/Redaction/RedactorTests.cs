using Tessera.Core.Redaction;
using Tessera.Core.Sources;
using Tessera.Tests.Support;

namespace Tessera.Tests.Redaction;

public sealed class RedactorTests
{
    [Theory]
    [InlineData("http://stash:9999/scene/8/screenshot?apikey=S3CRET", "http://stash:9999/scene/8/screenshot?apikey=REDACTED")]
    [InlineData("https://h/x.jpg?size=L&API_KEY=S3CRET&w=2", "https://h/x.jpg?size=L&API_KEY=REDACTED&w=2")]
    [InlineData("https://h/x?Token=a&sig=b&signature=c&secret=d&password=e&key=f&access_token=g", "https://h/x?Token=REDACTED&sig=REDACTED&signature=REDACTED&secret=REDACTED&password=REDACTED&key=REDACTED&access_token=REDACTED")]
    [InlineData("https://user:pa55@h:8443/x.jpg", "https://REDACTED@h:8443/x.jpg")]
    [InlineData("https://h/x.jpg?keyword=cats&monkey=1#key=frag", "https://h/x.jpg?keyword=cats&monkey=1#key=frag")]
    [InlineData("https://h/a@b.jpg?id=1", "https://h/a@b.jpg?id=1")]
    [InlineData("https://h/x?api%5Fkey=S3CRET", "https://h/x?api%5Fkey=REDACTED")]
    public void Url_MasksUserInfoAndSecretQueryValues_AndNothingElse(string url, string shown) => Assert.Equal(shown, Redactor.Url(url));

    [Fact]
    public void Text_MasksEveryUrlInIt()
    {
        var text = "redirect (302) to http://other:81/x?token=T0KEN refused; first url:https://a:b@h/y?apikey=K3Y";
        var shown = Redactor.Text(text);
        Assert.Equal("redirect (302) to http://other:81/x?token=REDACTED refused; first url:https://REDACTED@h/y?apikey=REDACTED", shown);
        Assert.Equal("no URL here: /srv/x?key=1", Redactor.Text("no URL here: /srv/x?key=1"));
    }

    [Fact]
    public void LibraryPaths_ShowFilesRelativeToTheirLibrary_AndMapTheShownFormBack()
    {
        using var temp = new TempDir();
        var photos = new FolderLibrary("photos", temp.Sub("photos"));
        var nested = new FolderLibrary("raw", temp.Sub("photos/raw"));
        var paths = new LibraryPaths(new Dictionary<string, FolderLibrary> { ["photos"] = photos, ["raw"] = nested });

        Assert.Equal("photos/a/b.jpg", paths.Show(Path.Combine(photos.Root, "a", "b.jpg")));
        Assert.Equal("raw/c.dng (decode failed)", paths.Show(Path.Combine(nested.Root, "c.dng") + " (decode failed)"));
        Assert.Equal("url:https://h/x?key=REDACTED", paths.Show("url:https://h/x?key=K"));
        Assert.Equal(Path.Combine(photos.Root, "a", "b.jpg"), paths.Unshow("photos/a/b.jpg"));
        Assert.Equal("item:books/abc/cover", paths.Unshow("item:books/abc/cover"));
    }
}
