using System.CommandLine;
using Tessera.Cli.Commands;

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
};

return await root.Parse(args).InvokeAsync();
