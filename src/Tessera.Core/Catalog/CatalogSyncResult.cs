namespace Tessera.Core.Catalog;

/// <summary>What a sync of one type did: the mode it ran in (smart resolves to incremental, full or a skip), entities
/// stored, soft-deleted and whose images changed, and a sentence for the operator (why a sweep was skipped, say).</summary>
public sealed record CatalogSyncResult(string Type, CatalogSyncMode Mode, bool Skipped, long Stored, long Deleted, long ImagesChanged, string Text);
