using Tessera.Core.Catalog.Stash;
using Tessera.Tests.Support.StashStandIn;

namespace Tessera.Tests.Catalog.Stash;

internal static class StashTestKit
{
    public static StashUpstream Upstream(StashStandIn standIn, string? key = StashStandIn.DefaultKey, TimeSpan? pace = null, int retries = 3) =>
        new(new HttpClient(), Options(standIn, key, pace, retries));

    public static StashOptions Options(StashStandIn standIn, string? key = StashStandIn.DefaultKey, TimeSpan? pace = null, int retries = 3) => new()
    {
        Url = standIn.BaseAddress,
        ApiKey = key,
        Pace = pace ?? TimeSpan.Zero,
        MaxRetries = retries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        Timeout = TimeSpan.FromSeconds(30),
    };
}
