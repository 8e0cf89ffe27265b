using Microsoft.Extensions.Configuration;
using Tessera.Core;
using Tessera.Core.Configuration;

namespace Tessera.Tests.Jobs;

public sealed class JobSettingsTests
{
    private static TesseraOptions Read(params (string Key, string Value)[] pairs) => TesseraConfiguration.Read(new ConfigurationBuilder()
        .AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)).Append(new("Data", "/tmp/d"))).Build());

    [Fact]
    public void Defaults_AreListenarrsThreeUnitsAMinuteAfterStartAndEveryTwelveHours()
    {
        var jobs = Read().Jobs;
        Assert.True(jobs.Enabled);
        Assert.Equal(3, jobs.Concurrency);
        Assert.Equal(200, jobs.UnitSize);
        Assert.Equal(TimeSpan.FromSeconds(60), jobs.LeaseTime);
        Assert.Equal(TimeSpan.FromMinutes(10), jobs.Watchdog);
        Assert.Equal(1000, jobs.FailureSample);
        Assert.Equal(TimeSpan.FromMinutes(1), jobs.WarmAtStart);
        Assert.Equal(TimeSpan.FromHours(12), jobs.WarmEvery);
        Assert.Null(jobs.CleanupEvery);
        Assert.True(jobs.WatchLibraries);
    }

    [Fact]
    public void EveryJobsKey_CanBeSet_AndTriggersCanBeSwitchedOff()
    {
        var jobs = Read(("Jobs:Enabled", "false"), ("Jobs:Concurrency", "5"), ("Jobs:UnitSize", "50"), ("Jobs:LeaseTime", "30s"),
            ("Jobs:Watchdog", "2m"), ("Jobs:FailureSample", "10"), ("Jobs:WarmAtStart", "off"), ("Jobs:WarmEvery", "1d"),
            ("Jobs:CleanupEvery", "7d"), ("Jobs:WatchLibraries", "false")).Jobs;
        Assert.False(jobs.Enabled);
        Assert.Equal((5, 50, 10), (jobs.Concurrency, jobs.UnitSize, jobs.FailureSample));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)), (jobs.LeaseTime, jobs.Watchdog));
        Assert.Null(jobs.WarmAtStart);
        Assert.Equal(TimeSpan.FromDays(1), jobs.WarmEvery);
        Assert.Equal(TimeSpan.FromDays(7), jobs.CleanupEvery);
        Assert.False(jobs.WatchLibraries);
    }

    [Theory]
    [InlineData("Jobs:Concurrency", "0", "from 1 to 64")]
    [InlineData("Jobs:UnitSize", "lots", "not a whole number")]
    [InlineData("Jobs:LeaseTime", "100ms", "at least 1s")]
    [InlineData("Jobs:WarmEvery", "sometimes", "not a duration")]
    [InlineData("Jobs:Enabled", "maybe", "not true or false")]
    public void ABadJobsValue_NamesItsKey(string key, string value, string why)
    {
        var e = Assert.Throws<TesseraConfigurationException>(() => Read((key, value)));
        Assert.Equal(key, e.Key);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }
}
