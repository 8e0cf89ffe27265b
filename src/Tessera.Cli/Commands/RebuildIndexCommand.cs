using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core;
using Tessera.Index.Sqlite;

namespace Tessera.Cli.Commands;

/// <summary>tessera rebuild-index --data DIR: rewrites the rendition rows from the files on disk.</summary>
internal static class RebuildIndexCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var command = new Command("rebuild-index", "Rebuild the index's rendition rows from the rendition files.") { data };
        command.SetAction(async (parse, ct) =>
        {
            using var cache = TesseraCache.Open(CommonOptions.Build(parse.GetRequiredValue(data)), NullLoggerFactory.Instance, SqliteIndex.Open);
            var rows = await cache.RebuildIndexAsync(ct);
            Console.Out.WriteLine($"rebuilt {rows} rendition rows from {cache.Folder.RenditionsPath}");
            return 0;
        });
        return command;
    }
}
