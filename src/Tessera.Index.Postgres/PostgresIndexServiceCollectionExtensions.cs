using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Tessera.Core.Index;
using Tessera.Core.Journal;

namespace Tessera.Index.Postgres;

public static class PostgresIndexServiceCollectionExtensions
{
    /// <summary>A PostgreSQL index behind every index port, shared by any number of replicas (the rendition files stay
    /// in the store). Each port is added with TryAdd, so a host may replace one. Opening migrates the schema; a schema
    /// made new gets the data folder's journal replayed into it (registrations and negatives), and its rendition rows
    /// rebuilt from the files by the folder's start-up, as a new SQLite index does.</summary>
    public static IServiceCollection AddTesseraPostgresIndex(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        services.TryAddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PostgresIndex).FullName!);
            var database = PostgresDatabase.Open(connectionString, logger);
            if (database.CreatedNew && sp.GetService<AppJournal>() is { } journal)
            {
                // A DI factory is synchronous; this runs once, at open.
                journal.ReplayAsync(new PostgresItemIndex(database), new PostgresNegativeIndex(database), logger, CancellationToken.None).GetAwaiter().GetResult();
            }

            return database;
        });
        services.TryAddSingleton<IIndexAvailability>(sp => sp.GetRequiredService<PostgresDatabase>());
        services.TryAddSingleton<IFingerprintIndex>(sp => new PostgresFingerprintIndex(sp.GetRequiredService<PostgresDatabase>()));
        services.TryAddSingleton<IRenditionIndex>(sp => new PostgresRenditionIndex(sp.GetRequiredService<PostgresDatabase>()));
        services.TryAddSingleton<IEvictionIndex>(sp => new PostgresEvictionIndex(sp.GetRequiredService<PostgresDatabase>()));
        services.TryAddSingleton<INegativeIndex>(sp => new PostgresNegativeIndex(sp.GetRequiredService<PostgresDatabase>()));
        services.TryAddSingleton<IDerivedIndex>(sp => new PostgresDerivedIndex(sp.GetRequiredService<PostgresDatabase>()));
        services.TryAddSingleton<IItemIndex>(sp => new PostgresItemIndex(sp.GetRequiredService<PostgresDatabase>()));
        services.TryAddSingleton<IStatsIndex>(sp => new PostgresStatsIndex(sp.GetRequiredService<PostgresDatabase>()));
        services.TryAddSingleton<IIndexMaintenance>(sp => new PostgresIndexMaintenance(sp.GetRequiredService<PostgresDatabase>()));
        services.TryAddSingleton<IIndexBackup>(sp => new PostgresIndexBackup(sp.GetRequiredService<PostgresDatabase>()));
        services.TryAddSingleton<ICleanupIndex>(sp => new PostgresCleanupIndex(sp.GetRequiredService<PostgresDatabase>()));
        services.TryAddSingleton<IJobIndex>(sp => new PostgresJobIndex(sp.GetRequiredService<PostgresDatabase>()));
        services.TryAddSingleton<IScheduleIndex>(sp => new PostgresScheduleIndex(sp.GetRequiredService<PostgresDatabase>()));
        services.TryAddSingleton<IRenditionLeases>(sp => new PostgresRenditionLeases(sp.GetRequiredService<PostgresDatabase>()));
        services.TryAddSingleton<ICatalogIndex>(sp => new PostgresCatalogIndex(sp.GetRequiredService<PostgresDatabase>()));
        // Replaces the in-process bus AddTesseraCore adds (whichever is called first): replicas hear each other's changes.
        services.Replace(ServiceDescriptor.Singleton<IInvalidationBus>(sp => new PostgresInvalidationBus(connectionString,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PostgresInvalidationBus).FullName!))));
        return services;
    }
}
