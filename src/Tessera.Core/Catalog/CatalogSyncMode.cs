namespace Tessera.Core.Catalog;

/// <summary>How a sync finds changes. <see cref="Full"/> pages every entity by id and sweeps orphans;
/// <see cref="Incremental"/> asks for the entities changed since each type's watermark (never deletes);
/// <see cref="Smart"/> counts changes per type first, skips the unchanged, and sweeps a type whose upstream total
/// no longer matches the live rows (a deletion).</summary>
public enum CatalogSyncMode
{
    Smart,
    Incremental,
    Full,
}

public static class CatalogSyncModes
{
    public static string ToText(CatalogSyncMode mode) => mode.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out CatalogSyncMode mode) =>
        Enum.TryParse(text, ignoreCase: true, out mode) && Enum.IsDefined(mode) && !int.TryParse(text, out _);
}
