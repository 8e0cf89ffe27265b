using System.Net;
using System.Net.Http.Headers;
using Tessera.Core.Remote;

namespace Tessera.Tests.Remote;

public sealed class CacheHeadersTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static HttpResponseMessage Response(Action<HttpResponseMessage> headers)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        headers(response);
        return response;
    }

    [Fact]
    public void Max_age_is_read_from_cache_control()
    {
        using var response = Response(r => r.Headers.CacheControl = new CacheControlHeaderValue { MaxAge = TimeSpan.FromSeconds(600) });
        Assert.Equal(TimeSpan.FromSeconds(600), CacheHeaders.MaxAge(response, Now));
    }

    [Fact]
    public void S_maxage_wins_over_max_age_for_a_shared_cache_and_age_is_subtracted()
    {
        using var response = Response(r =>
        {
            r.Headers.CacheControl = new CacheControlHeaderValue { MaxAge = TimeSpan.FromSeconds(600), SharedMaxAge = TimeSpan.FromSeconds(300) };
            r.Headers.Age = TimeSpan.FromSeconds(100);
        });
        Assert.Equal(TimeSpan.FromSeconds(200), CacheHeaders.MaxAge(response, Now));
    }

    [Theory]
    [InlineData("no-store")]
    [InlineData("no-cache")]
    [InlineData("no-cache, max-age=3600")]
    [InlineData("public, no-store, max-age=3600")]
    public void No_store_and_no_cache_mean_stale_now(string cacheControl)
    {
        using var response = Response(r => r.Headers.TryAddWithoutValidation("Cache-Control", cacheControl));
        Assert.Equal(TimeSpan.Zero, CacheHeaders.MaxAge(response, Now));
    }

    [Fact]
    public void Expires_is_measured_from_the_response_date()
    {
        using var response = Response(r =>
        {
            r.Headers.Date = Now.AddHours(-5); // the upstream's clock is behind ours; its own Date keeps the span right
            r.Content.Headers.Expires = Now.AddHours(-5).AddMinutes(30);
        });
        Assert.Equal(TimeSpan.FromMinutes(30), CacheHeaders.MaxAge(response, Now));
    }

    [Fact]
    public void Expires_without_a_date_is_measured_from_our_clock_and_a_past_one_is_zero()
    {
        using var future = Response(r => r.Content.Headers.Expires = Now.AddMinutes(10));
        using var past = Response(r => r.Content.Headers.Expires = Now.AddMinutes(-10));
        Assert.Equal(TimeSpan.FromMinutes(10), CacheHeaders.MaxAge(future, Now));
        Assert.Equal(TimeSpan.Zero, CacheHeaders.MaxAge(past, Now));
    }

    [Fact]
    public void An_unparsable_expires_means_already_expired_and_no_headers_mean_unknown()
    {
        using var invalid = Response(r => r.Content.Headers.TryAddWithoutValidation("Expires", "0"));
        using var none = Response(_ => { });
        Assert.Equal(TimeSpan.Zero, CacheHeaders.MaxAge(invalid, Now));
        Assert.Null(CacheHeaders.MaxAge(none, Now));
    }

    [Fact]
    public void Retry_after_is_read_as_seconds_or_as_an_http_date()
    {
        using var seconds = Response(r => r.Headers.TryAddWithoutValidation("Retry-After", "7"));
        using var date = Response(r => r.Headers.TryAddWithoutValidation("Retry-After", Now.AddSeconds(42).ToString("R")));
        using var dated = Response(r =>
        {
            r.Headers.Date = Now.AddMinutes(-3);
            r.Headers.TryAddWithoutValidation("Retry-After", Now.AddMinutes(-3).AddSeconds(5).ToString("R"));
        });
        using var past = Response(r => r.Headers.TryAddWithoutValidation("Retry-After", Now.AddSeconds(-42).ToString("R")));
        using var none = Response(_ => { });
        Assert.Equal(TimeSpan.FromSeconds(7), CacheHeaders.RetryAfter(seconds, Now));
        Assert.Equal(TimeSpan.FromSeconds(42), CacheHeaders.RetryAfter(date, Now));
        Assert.Equal(TimeSpan.FromSeconds(5), CacheHeaders.RetryAfter(dated, Now));
        Assert.Equal(TimeSpan.Zero, CacheHeaders.RetryAfter(past, Now));
        Assert.Null(CacheHeaders.RetryAfter(none, Now));
    }
}
