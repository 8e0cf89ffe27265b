namespace Tessera.Core.Catalog;

/// <summary>Builds the upstream adapter of one configured catalog (Stash for <c>Kind = stash</c>); tests register their
/// own to point a catalog at a stand-in.</summary>
public delegate IUpstream UpstreamFactory(CatalogOptions catalog);
