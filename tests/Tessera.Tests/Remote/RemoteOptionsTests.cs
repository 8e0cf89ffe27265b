using Tessera.Core.Remote;

namespace Tessera.Tests.Remote;

public sealed class RemoteOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_as_documented()
    {
        var options = new RemoteOptions();
        options.Validate();
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.Equal(20L * 1024 * 1024, options.MaxBytes);
        Assert.Equal(5, options.MaxRedirects);
        Assert.Equal(2, options.MaxRetries);
        Assert.Equal(4, options.MaxConnectionsPerHost);
        Assert.Empty(options.AllowedHosts);
        Assert.Empty(options.AllowedNetworks);
    }

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("127.0.0.1/32")]
    [InlineData("::1/128")]
    [InlineData("fd00::/8")]
    [InlineData("192.168.1.7")]
    [InlineData("192.168.1.7/24")]
    public void Cidrs_and_bare_addresses_are_accepted_as_allowed_networks(string network)
    {
        var options = new RemoteOptions();
        options.AllowedNetworks.Add(network);
        options.Validate();
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("::1/129")]
    [InlineData("10.0.0.0.0/8")]
    [InlineData("localhost")]
    [InlineData("")]
    [InlineData("10.0.0.0/-1")]
    public void A_bad_cidr_is_rejected_with_a_message_naming_it(string network)
    {
        var options = new RemoteOptions();
        options.AllowedNetworks.Add(network);
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("AllowedNetworks", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{network}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("*.")]
    [InlineData("a.*.com")]
    [InlineData("example.com/path")]
    [InlineData("")]
    public void A_bad_host_pattern_is_rejected(string host)
    {
        var options = new RemoteOptions();
        options.AllowedHosts.Add(host);
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("AllowedHosts", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, Action<RemoteOptions>> BadValues => new()
    {
        { "Timeout", o => o.Timeout = TimeSpan.Zero },
        { "MaxBytes", o => o.MaxBytes = 0 },
        { "MaxRedirects", o => o.MaxRedirects = -1 },
        { "MaxRetries", o => o.MaxRetries = -1 },
        { "RetryBaseDelay", o => o.RetryBaseDelay = TimeSpan.FromSeconds(-1) },
        { "MaxRetryAfter", o => o.MaxRetryAfter = TimeSpan.FromSeconds(-1) },
        { "MaxConnectionsPerHost", o => o.MaxConnectionsPerHost = 0 },
        { "UserAgent", o => o.UserAgent = "evil\r\nX-Injected: 1" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Out_of_range_values_are_rejected_with_their_name(string name, Action<RemoteOptions> spoil)
    {
        var options = new RemoteOptions();
        spoil(options);
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fetcher_validates_its_options()
    {
        var options = new RemoteOptions();
        var factory = RemoteHttp.CreateFactory(options);
        options.AllowedNetworks.Add("nonsense");
        Assert.Throws<ArgumentException>(() => new RemoteFetcher(factory, options));
    }
}
