using Tessera.Core.Remote;

namespace Tessera.Tests.Remote;

public sealed class UrlCheckTests
{
    [Theory]
    [InlineData("http://2130706433/")]
    [InlineData("http://0x7f.0.0.1/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://127.1/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[::ffff:7f00:1]/")]
    [InlineData("http://[::127.0.0.1]/")]
    [InlineData("http://[64:ff9b::7f00:1]/")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://100.100.100.200/")]
    [InlineData("http://0.0.0.0/")]
    [InlineData("http://[::]/")]
    [InlineData("http://224.0.0.1/")]
    [InlineData("http://[fe80::1%25eth0]/")]
    [InlineData("https://10.0.0.1:8443/x.jpg")]
    public void Internal_address_literals_in_any_spelling_are_refused_before_any_io(string url)
    {
        Assert.False(RemoteFetcher.TryCheckUrl(url, new RemoteOptions(), out var uri, out var reason));
        Assert.Null(uri);
        Assert.Contains("address", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.com/a.jpg", "scheme")]
    [InlineData("file:///etc/passwd", "scheme")]
    [InlineData("gopher://example.com/", "scheme")]
    [InlineData("relative/a.jpg", "absolute")]
    [InlineData("not a url", "absolute")]
    [InlineData("http://user:pass@example.com/a.jpg", "credentials")]
    [InlineData("http://allowed.com@evil/", "credentials")]
    public void Only_plain_http_and_https_urls_without_credentials_pass(string url, string reason)
    {
        Assert.False(RemoteFetcher.TryCheckUrl(url, new RemoteOptions(), out _, out var why));
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://allowed.com/a.jpg", true)]
    [InlineData("https://allowed.com:8443/a.jpg", true)]
    [InlineData("http://ALLOWED.COM/a.jpg", true)]
    [InlineData("http://Allowed.Com./a.jpg", true)]
    [InlineData("http://allowed.com.evil/a.jpg", false)]
    [InlineData("http://evilallowed.com/a.jpg", false)]
    [InlineData("http://evil.com/allowed.com", false)]
    [InlineData("http://evil.com/?h=allowed.com", false)]
    [InlineData("http://allowed.com@evil/", false)]
    [InlineData("http://sub.allowed.com/", false)]
    [InlineData("http://93.184.216.34/", false)]
    public void The_host_allow_list_matches_whole_host_names_only(string url, bool passes)
    {
        var options = new RemoteOptions();
        options.AllowedHosts.Add("allowed.com");
        Assert.Equal(passes, RemoteFetcher.TryCheckUrl(url, options, out _, out var why));
        if (!passes)
        {
            Assert.NotNull(why);
        }
    }

    [Theory]
    [InlineData("http://img.provider.net/a.jpg", true)]
    [InlineData("http://a.b.provider.net/a.jpg", true)]
    [InlineData("http://IMG.Provider.NET./a.jpg", true)]
    [InlineData("http://provider.net/a.jpg", false)]
    [InlineData("http://evilprovider.net/a.jpg", false)]
    [InlineData("http://img.provider.net.evil/a.jpg", false)]
    [InlineData("http://provider.net.img/a.jpg", false)]
    public void A_wildcard_entry_matches_subdomains_at_a_dot_boundary(string url, bool passes)
    {
        var options = new RemoteOptions();
        options.AllowedHosts.Add("*.provider.net");
        Assert.Equal(passes, RemoteFetcher.TryCheckUrl(url, options, out _, out _));
    }

    [Fact]
    public void An_international_host_is_matched_by_its_ascii_form()
    {
        var options = new RemoteOptions();
        options.AllowedHosts.Add("Bücher.example");
        Assert.True(RemoteFetcher.TryCheckUrl("http://xn--bcher-kva.example/a.jpg", options, out _, out var why), why);
        Assert.True(RemoteFetcher.TryCheckUrl("http://bücher.example/a.jpg", options, out _, out why), why);
        Assert.False(RemoteFetcher.TryCheckUrl("http://bucher.example/a.jpg", options, out _, out _));
    }

    [Fact]
    public void Public_urls_and_host_names_pass_the_syntactic_check()
    {
        // localhost is a name: it is judged by its addresses when connecting (see SsrfTests).
        foreach (var url in new[] { "https://images.example.com/a/b.jpg?w=1", "http://8.8.8.8/x.png", "http://[2606:4700::1111]/x", "http://localhost/" })
        {
            Assert.True(RemoteFetcher.TryCheckUrl(url, new RemoteOptions(), out var uri, out var why), $"{url}: {why}");
            Assert.Equal(new Uri(url), uri);
        }
    }

    [Fact]
    public void An_allowed_network_lets_its_literal_addresses_through()
    {
        var options = new RemoteOptions();
        options.AllowedNetworks.Add("127.0.0.1/32");
        Assert.True(RemoteFetcher.TryCheckUrl("http://127.0.0.1:8080/a.jpg", options, out _, out _));
        Assert.True(RemoteFetcher.TryCheckUrl("http://2130706433:8080/a.jpg", options, out _, out _));
        Assert.False(RemoteFetcher.TryCheckUrl("http://127.0.0.2:8080/a.jpg", options, out _, out _));
        Assert.False(RemoteFetcher.TryCheckUrl("http://[::1]:8080/a.jpg", options, out _, out _));
    }
}
