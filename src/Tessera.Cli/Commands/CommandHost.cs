using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tessera.Core;
using Tessera.Core.Storage;
using Tessera.Index.Postgres;
using Tessera.Index.Sqlite;
using Tessera.Storage.S3;

namespace Tessera.Cli.Commands;

/// <summary>A command's services: the same composition as the server (the core and the SQLite index on the generic
/// host), with no background services and no log output; the data folder is opened before the command runs.
/// A read-only command (status, health, report, monitor, negatives list, verify without --repair) writes nothing to the
/// data folder: no temp sweep, no layout.json, no rebuild, and the index opened read-only (no migration, no WAL files
/// made, no journal replay), so it never touches a running server's work and works on a read-only mount.</summary>
internal sealed class CommandHost(IHost host) : IDisposable
{
    public static async Task<CommandHost> OpenAsync(TesseraOptions options, CancellationToken cancellationToken, bool readOnly = false)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (readOnly)
        {
            builder.Services.AddSingleton(DataFolder.OpenExisting(options.DataPath));
        }

        if (options.Store.IsS3)
        {
            builder.Services.AddTesseraS3Store(options.Store); // Store:Location from the settings file: warm, verify and cleanup see the bucket too
        }

        builder.Services.AddTesseraCore(options);
        if (options.PostgresIndex is { } postgres)
        {
            builder.Services.AddTesseraPostgresIndex(postgres);
        }
        else
        {
            builder.Services.AddTesseraSqliteIndex(readOnly);
        }

        var opened = new CommandHost(builder.Build());
        try
        {
            if (!readOnly)
            {
                await opened.Get<FolderStartup>().RunAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _ = opened.Get<Tessera.Core.Index.IIndexMaintenance>(); // open the index here, so a failure is explained like any other
            }

            return opened;
        }
        catch (Exception e)
        {
            opened.Dispose();
            var explained = DataFolderProblem.Explain(e, options.DataPath);
            if (ReferenceEquals(explained, e))
            {
                throw;
            }

            throw explained;
        }
    }

    public T Get<T>()
        where T : notnull => host.Services.GetRequiredService<T>();

    public void Dispose() => host.Dispose();
}
