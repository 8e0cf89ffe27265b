using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core;
using Tessera.Index.Sqlite;

namespace Tessera.Cli.Commands;

/// <summary>tessera verify --data DIR [--repair]: exit 0 when every rendition is intact (or was repaired), 1 otherwise.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var repair = new Option<bool>("--repair") { Description = "Drop damaged or missing renditions (they regenerate on demand)." };
        var command = new Command("verify", "Check every rendition against its recorded length and SHA-256.") { data, repair };
        command.SetAction(async (parse, ct) =>
        {
            using var cache = TesseraCache.Open(CommonOptions.Build(parse.GetRequiredValue(data)), NullLoggerFactory.Instance, SqliteIndex.Open);
            var result = await cache.Verifier.RunAsync(parse.GetValue(repair), ct);
            foreach (var p in result.Problems.Take(50))
            {
                Console.Out.WriteLine($"{p.Key}: {p.Problem}{(result.Repaired ? " (removed)" : string.Empty)}");
            }

            Console.Out.WriteLine($"checked {result.Checked} renditions: {result.Problems.Count} problems{(result.Repaired && result.Problems.Count > 0 ? ", repaired" : string.Empty)}");
            return result.Problems.Count == 0 || result.Repaired ? 0 : 1;
        });
        return command;
    }
}
