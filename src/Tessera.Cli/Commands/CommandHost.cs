using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tessera.Core;
using Tessera.Core.Storage;
using Tessera.Index.Sqlite;

namespace Tessera.Cli.Commands;

/// <summary>A command's services: the same composition as the server (the core and the SQLite index on the generic
/// host), with no background services and no log output; the data folder is opened before the command runs.</summary>
internal sealed class CommandHost(IHost host) : IDisposable
{
    public static async Task<CommandHost> OpenAsync(TesseraOptions options, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddTesseraCore(options).AddTesseraSqliteIndex();
        var opened = new CommandHost(builder.Build());
        try
        {
            await opened.Get<FolderStartup>().RunAsync(cancellationToken).ConfigureAwait(false);
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
