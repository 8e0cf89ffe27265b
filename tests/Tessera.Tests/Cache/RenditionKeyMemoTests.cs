using Tessera.Core;
using Tessera.Core.Cache;
using Tessera.Core.Presets;

namespace Tessera.Tests.Cache;

public sealed class RenditionKeyMemoTests
{
    private static readonly Preset Grid = new("grid", 400, 400);

    [Fact]
    public void Get_IsCompute_ForEveryHashPresetAndFormat_AndAgainFromMemory()
    {
        var memo = new RenditionKeyMemo();
        var presets = new[] { Grid, new Preset("thumb", 200, 200), Grid with { Quality = 90 }, Grid with { Name = "alias" } };
        var formats = new[] { OutputFormat.WebP, OutputFormat.Jpeg, OutputFormat.Png };
        var hashes = Enumerable.Range(0, 5).Select(i => new string((char)('a' + i), 64)).ToArray();
        for (var round = 0; round < 2; round++) // the second round answers from memory
        {
            var seen = new HashSet<string>();
            foreach (var hash in hashes)
            {
                foreach (var preset in presets)
                {
                    foreach (var format in formats)
                    {
                        var expected = RenditionKey.Compute(hash, preset.CanonicalString(format));
                        Assert.Equal(expected, memo.Get(hash, preset, format));
                        seen.Add(expected.Value);
                    }
                }
            }

            // The alias shares the grid's renditions (the name is not in the key), and so does quality 90 in PNG (lossless):
            // per hash, grid, thumb and grid q90 in three formats, less that one.
            Assert.Equal(hashes.Length * ((3 * formats.Length) - 1), seen.Count);
        }
    }

    [Fact]
    public void PastItsCapacity_ItStartsAgain_AndStillAnswersRight()
    {
        var memo = new RenditionKeyMemo();
        var first = new string('f', 64);
        var kept = memo.Get(first, Grid, OutputFormat.WebP);
        for (var i = 0; i < RenditionKeyMemo.Capacity + 10; i++)
        {
            var hash = i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(RenditionKey.Compute(hash, Grid.CanonicalString(OutputFormat.WebP)), memo.Get(hash, Grid, OutputFormat.WebP));
        }

        Assert.Equal(kept, memo.Get(first, Grid, OutputFormat.WebP));
        Assert.Equal(RenditionKey.Compute(first, Grid.CanonicalString(OutputFormat.WebP)), kept);
    }
}
