using Tessera.Core.Pipeline;

namespace Tessera.Tests.Pipeline;

public sealed class FailureReasonsTests
{
    [Fact]
    public void Listing_NamesEveryReason_AndEachNameParsesBack()
    {
        foreach (var reason in Enum.GetValues<FailureReason>())
        {
            var text = FailureReasons.ToText(reason);
            Assert.Contains(text, FailureReasons.Listing, StringComparison.Ordinal);
            Assert.True(FailureReasons.TryParse(text, out var parsed));
            Assert.Equal(reason, parsed);
        }

        Assert.EndsWith(", blocked or no-cover", FailureReasons.Listing, StringComparison.Ordinal);
    }
}
