using Tessera.Core.Remote;
using static Tessera.Tests.Remote.RemoteTestKit;

namespace Tessera.Tests.Remote;

public sealed class FetchTests
{
    [Fact]
    public async Task An_image_is_fetched_with_its_bytes_type_validators_and_freshness()
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions());

        var fetched = AssertFetched(await fetcher.Fetch(upstream.Url("/img.png")));

        Assert.Equal(ProviderRoutes.Png, fetched.Bytes);
        Assert.Equal("image/png", fetched.MediaType);
        Assert.Equal("\"v1\"", fetched.ETag);
        Assert.Equal(ProviderRoutes.LastModified, fetched.LastModified);
        Assert.Equal(TimeSpan.FromHours(1), fetched.MaxAge);
        Assert.Equal(upstream.Url("/img.png"), fetched.FinalUrl);
        Assert.Equal(1, fetcher.Requests);
        Assert.Equal(1, upstream.Requests);
    }

    [Fact]
    public async Task The_configured_user_agent_is_sent_and_no_cookies_or_compression_are_asked_for()
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions(o => o.UserAgent = "TesseraTest/9"));

        AssertFetched(await fetcher.Fetch(upstream.Url("/set-cookie")));
        AssertFetched(await fetcher.Fetch(upstream.Url("/img.png")));

        var headers = upstream.RequestHeaders[1];
        Assert.Equal("TesseraTest/9", headers.UserAgent.ToString());
        Assert.Equal(0, headers.AcceptEncoding.Count);
        Assert.Equal(0, headers.Cookie.Count);
    }

    [Fact]
    public async Task An_image_served_as_text_html_is_accepted_by_its_magic_bytes()
    {
        await using var upstream = await Upstream.StartAsync();
        var fetched = AssertFetched(await Fetcher(LoopbackOptions()).Fetch(upstream.Url("/jpeg-as-html")));
        Assert.Equal("image/jpeg", fetched.MediaType);
        Assert.Equal(ProviderRoutes.Jpeg, fetched.Bytes);
    }

    [Fact]
    public async Task A_chunked_image_without_content_length_or_image_type_is_accepted()
    {
        await using var upstream = await Upstream.StartAsync();
        var fetched = AssertFetched(await Fetcher(LoopbackOptions()).Fetch(upstream.Url("/chunked")));
        Assert.Equal(ProviderRoutes.Png, fetched.Bytes);
    }

    [Theory]
    [InlineData("/html-as-jpeg")]
    [InlineData("/svg")]
    [InlineData("/empty")]
    public async Task Html_svg_and_empty_bodies_are_not_images_whatever_their_content_type(string path)
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions());
        AssertFailed(await fetcher.Fetch(upstream.Url(path)), RemoteFailure.NotAnImage);
        Assert.Equal(1, upstream.Requests); // not retried
    }

    [Theory]
    [InlineData("/missing")]
    [InlineData("/gone")]
    public async Task Not_found_and_gone_are_not_found_and_not_retried(string path)
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions());
        AssertFailed(await fetcher.Fetch(upstream.Url(path)), RemoteFailure.NotFound);
        Assert.Equal(1, upstream.Requests);
        Assert.Equal(1, fetcher.Requests);
    }

    [Fact]
    public async Task Another_client_error_is_an_upstream_failure_and_not_retried()
    {
        await using var upstream = await Upstream.StartAsync();
        var failed = AssertFailed(await Fetcher(LoopbackOptions()).Fetch(upstream.Url("/forbidden")), RemoteFailure.Upstream);
        Assert.Contains("403", failed.Detail, StringComparison.Ordinal);
        Assert.Equal(1, upstream.Requests);
    }

    [Fact]
    public async Task Revalidation_sends_if_none_match_and_a_304_refreshes_the_validators_and_freshness()
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions());
        var first = AssertFetched(await fetcher.Fetch(upstream.Url("/img.png")));

        var result = await fetcher.Fetch(upstream.Url("/img.png"), new RemoteValidators(first.ETag, first.LastModified));

        var notModified = Assert.IsType<FetchResult.NotModified>(result);
        Assert.Equal("\"v1\"", notModified.ETag);
        Assert.Equal(ProviderRoutes.LastModified, notModified.LastModified);
        Assert.Equal(TimeSpan.FromSeconds(60), notModified.MaxAge);
        var headers = upstream.RequestHeaders[1];
        Assert.Equal("\"v1\"", headers.IfNoneMatch.ToString());
        Assert.Equal(ProviderRoutes.LastModified.ToString("R"), headers.IfModifiedSince.ToString());
    }

    [Fact]
    public async Task A_changed_etag_gets_the_full_image_again()
    {
        await using var upstream = await Upstream.StartAsync();
        var result = await Fetcher(LoopbackOptions()).Fetch(upstream.Url("/img.png"), new RemoteValidators("\"v0\"", null));
        Assert.Equal(ProviderRoutes.Png, AssertFetched(result).Bytes);
    }

    [Fact]
    public async Task If_modified_since_alone_can_revalidate_and_keeps_the_known_validators()
    {
        await using var upstream = await Upstream.StartAsync();
        var known = new RemoteValidators(null, ProviderRoutes.LastModified);
        var notModified = Assert.IsType<FetchResult.NotModified>(await Fetcher(LoopbackOptions()).Fetch(upstream.Url("/echo-conditional"), known));
        Assert.Equal(ProviderRoutes.LastModified, notModified.LastModified);
        Assert.Null(notModified.ETag);
    }

    [Fact]
    public async Task Expires_and_no_store_become_max_age()
    {
        await using var upstream = await Upstream.StartAsync();
        var fetcher = Fetcher(LoopbackOptions());
        Assert.Equal(TimeSpan.FromSeconds(120), AssertFetched(await fetcher.Fetch(upstream.Url("/expires"))).MaxAge);
        Assert.Equal(TimeSpan.Zero, AssertFetched(await fetcher.Fetch(upstream.Url("/no-store"))).MaxAge);
    }
}
