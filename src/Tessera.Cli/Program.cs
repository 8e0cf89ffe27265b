using System.CommandLine;
using Tessera.Index.Sqlite;
using Tessera.Cli.Commands;

// One SQLite in the process (libvips may load the system one): before anything opens SQLite.
SqliteLibrary.UseSystemLibrary();

var root = new RootCommand("Tessera: a persistent thumbnail and cover cache for media libraries.")
{
    ServeCommand.Create(),
    WarmCommand.Create(),
    StatusCommand.Create(),
    HealthCommand.Create(),
    RebuildIndexCommand.Create(),
    ClearCommand.Create(),
    VerifyCommand.Create(),
    CleanupCommand.Create(),
    ReportCommand.Create(),
    MonitorCommand.Create(),
    NegativesCommand.Create(),
    SignCommand.Create(),
};

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is ArgumentException or FormatException or IOException or UnauthorizedAccessException or InvalidOperationException
    or Tessera.Core.Configuration.TesseraConfigurationException)
{
    // Operator mistakes (a missing folder, a bad value, a port in use) get one clear line, not a stack trace.
    Console.Error.WriteLine($"tessera: {e.Message}");
    return 2;
}
