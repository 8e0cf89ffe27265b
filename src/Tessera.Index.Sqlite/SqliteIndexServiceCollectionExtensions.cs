using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Tessera.Core;
using Tessera.Core.Index;
using Tessera.Core.Journal;
using Tessera.Core.Storage;

namespace Tessera.Index.Sqlite;

public static class SqliteIndexServiceCollectionExtensions
{
    /// <summary>The SQLite index of the data folder behind every index port. Each port is added with TryAdd, so a host
    /// may replace one; the data folder comes from <see cref="TesseraOptions.DataPath"/> unless already registered.
    /// <paramref name="readOnly"/>: an existing index is only read (<see cref="SqliteDatabase.OpenReadOnly"/>): no
    /// migration, crash check, set-aside or journal replay; one not made yet is made as usual, as no one can be using it.
    /// <paramref name="degradeWhenFull"/> (a server): an existing index that the full disk keeps from opening read-write
    /// is opened read-only (<see cref="IIndexAvailability"/>) instead of failing the start.</summary>
    public static IServiceCollection AddTesseraSqliteIndex(this IServiceCollection services, bool readOnly = false, bool degradeWhenFull = false)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new DataFolder(sp.GetRequiredService<TesseraOptions>().DataPath));
        services.TryAddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SqliteIndex).FullName!);
            var path = sp.GetRequiredService<DataFolder>().DatabasePath;
            if (readOnly && File.Exists(path))
            {
                return SqliteDatabase.OpenReadOnly(path, logger);
            }

            var journal = sp.GetService<AppJournal>();
            var database = SqliteDatabase.Open(path, logger, degradeWhenFull && !readOnly);
            if (journal is not null)
            {
                // A new index (deleted, or damaged and set aside) gets back what only the app could tell it; the same
                // happens when damage found while running makes the index start again.
                database.Recreated += () => journal.ReplayAsync(new SqliteItemIndex(database), new SqliteNegativeIndex(database), logger, CancellationToken.None);
            }

            // At open the data folder's start-up rebuilds the rendition rows; while running, this does.
            database.Recreated += async () =>
            {
                if (database.Generation > 0 && sp.GetService<IRenditionStore>() is { } store)
                {
                    await new SqliteIndexMaintenance(database).RebuildRenditionsAsync(store.Enumerate(), CancellationToken.None).ConfigureAwait(false);
                }
            };
            if (journal is not null && database.CreatedNew)
            {
                database.RunRecreatedAsync().GetAwaiter().GetResult(); // a DI factory is synchronous; this runs once, at open
            }

            return database;
        });
        services.TryAddSingleton<IIndexAvailability>(sp => sp.GetRequiredService<SqliteDatabase>());
        services.TryAddSingleton<IFingerprintIndex>(sp => new SqliteFingerprintIndex(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IRenditionIndex>(sp => new SqliteRenditionIndex(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IEvictionIndex>(sp => new SqliteEvictionIndex(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<INegativeIndex>(sp => new SqliteNegativeIndex(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IDerivedIndex>(sp => new SqliteDerivedIndex(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IItemIndex>(sp => new SqliteItemIndex(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IStatsIndex>(sp => new SqliteStatsIndex(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IIndexMaintenance>(sp => new SqliteIndexMaintenance(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IIndexBackup>(sp => new SqliteIndexBackup(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<ICleanupIndex>(sp => new SqliteCleanupIndex(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IJobIndex>(sp => new SqliteJobIndex(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<ICatalogIndex>(sp => new SqliteCatalogIndex(sp.GetRequiredService<SqliteDatabase>()));
        return services;
    }
}
