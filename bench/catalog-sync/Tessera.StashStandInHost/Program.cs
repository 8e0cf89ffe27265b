using System.Globalization;
using Tessera.Tests.Support.StashStandIn;

// Usage: Tessera.StashStandInHost SCENES [PERFORMERS STUDIOS TAGS] [URL]
// Prints its base address and API key, then reads commands on stdin, one a line:
//   change N   changes N scenes spread over the ids (a new title, updated_at a minute later than the last change)
//   quit       stops
var scenes = Arg(0, 100_000);
var size = new StandInSize(Scenes: scenes, Performers: Arg(1, 20_000), Studios: Arg(2, 2_000), Tags: Arg(3, 5_000), Groups: 0, Galleries: 0)
{
    VariedRelations = true,
    NoImageEvery = 10,
};
await using var standIn = await StashStandIn.StartAsync(size, args.Length > 4 ? args[4] : "http://127.0.0.1:0");
Console.WriteLine($"{standIn.BaseAddress} {standIn.ApiKey}");
var round = 0;
while (Console.ReadLine() is { } line)
{
    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (parts is ["change", var count])
    {
        var n = int.Parse(count, CultureInfo.InvariantCulture);
        round++;
        standIn.Now += TimeSpan.FromMinutes(1);
        var ids = standIn.Data.Ids("scenes").ToList();
        var step = Math.Max(1, ids.Count / Math.Max(1, n));
        var changed = 0;
        for (var i = 0; i < ids.Count && changed < n; i += step, changed++)
        {
            standIn.Update("scenes", ids[i], e => e.Title = $"changed {round} {e.Id}");
        }

        Console.WriteLine($"changed {changed}");
    }
    else if (parts is ["quit"])
    {
        break;
    }
}

int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
