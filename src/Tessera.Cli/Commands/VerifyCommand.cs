using System.CommandLine;
using Tessera.Cli.Settings;
using Tessera.Core;

using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Core.Stats;
using Tessera.Core.Storage;
using Tessera.Core.Health;

namespace Tessera.Cli.Commands;

/// <summary>tessera verify --data DIR [--repair]: exit 0 when every rendition is intact (or was repaired), 1 otherwise.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var flags = new SettingFlags();
        var repair = new Option<bool>("--repair") { Description = "Drop damaged or missing renditions (they regenerate on demand)." };
        var command = new Command("verify", "Check every rendition against its recorded length and SHA-256.") { repair };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var terminal = Terminal.Of(parse);
            using var host = parse.GetValue(repair) ? await CommonOptions.OpenAsync(flags, parse, ct) : await CommonOptions.OpenReadOnlyAsync(flags, parse, ct);
            var index = host.Get<IIndexMaintenance>();
            string integrity;
            try
            {
                integrity = await index.IntegrityCheckAsync(ct);
            }
            catch (IndexException e) when (e.Kind == IndexFailure.Corrupt && !parse.GetValue(repair))
            {
                integrity = e.Message; // opened read-only, damage is reported rather than set aside
            }

            var damaged = index.Damage is not null;
            if (index.Damage is { } found)
            {
                // Damage an operation met (at open or in the check itself) is already set aside: say so.
                terminal.Out.WriteLine($"the index is damaged: {found}; moved it aside and rebuilt it: renditions from the files, items, aliases and negatives from the journal");
            }
            else if (integrity != "ok")
            {
                terminal.Out.WriteLine($"the index is damaged: {integrity.Split('\n')[0]}");
                if (!parse.GetValue(repair))
                {
                    terminal.Out.WriteLine("run `tessera verify --repair` (or start the server) to set it aside and rebuild it");
                    return 1;
                }

                // Set aside; the journal gives back items, aliases and negatives; the files give back the renditions.
                await index.RecreateAsync(integrity.Split('\n')[0], ct);
                terminal.Out.WriteLine("moved the damaged index aside and rebuilt it: renditions from the files, items, aliases and negatives from the journal");
            }

            var result = await host.Get<Verifier>().RunAsync(parse.GetValue(repair), ct);
            foreach (var p in result.Problems.Take(50))
            {
                terminal.Out.WriteLine($"{p.Key}: {p.Problem}{(result.Repaired ? " (removed)" : string.Empty)}");
            }

            terminal.Out.WriteLine($"checked {result.Checked} renditions: {result.Problems.Count} problems{(result.Repaired && result.Problems.Count > 0 ? ", repaired" : string.Empty)}");
            return (result.Problems.Count == 0 || result.Repaired) && (!damaged || parse.GetValue(repair)) ? 0 : 1;
        });
        return command;
    }
}
