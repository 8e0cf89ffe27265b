using System.Globalization;
using Tessera.Index.Sqlite;

// Tessera scale benchmark (issues 3 and the stats-at-scale requirement). Modes:
//   all <work-dir> <report.md>   build the data folders, measure, write the report section
//   startup <data-dir>           open the folder once, read the stats once, print both times (for the parent to time)
// Environment: SCALE_SIZES (rows per folder, comma-separated; default 10000,100000,1000000), SCALE_CLI (tessera.dll).

// One SQLite in the process, before anything opens one (the bulk load's own connections included).
SqliteLibrary.UseSystemLibrary();

if (args.Length >= 2 && args[0] == "startup")
{
    return await StartupProbe.ChildAsync(args[1]).ConfigureAwait(false);
}

if (args.Length < 3 || args[0] != "all")
{
    Console.Error.WriteLine("usage: Tessera.ScaleBench all <work-dir> <report.md> | startup <data-dir>");
    return 2;
}

var sizes = (Environment.GetEnvironmentVariable("SCALE_SIZES") is { Length: > 0 } list ? list : "10000,100000,1000000")
    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
    .Select(s => int.Parse(s, NumberStyles.AllowThousands, CultureInfo.InvariantCulture))
    .Order()
    .ToArray();
return await Bench.RunAllAsync(args[1], args[2], sizes, Environment.GetEnvironmentVariable("SCALE_CLI")).ConfigureAwait(false);
