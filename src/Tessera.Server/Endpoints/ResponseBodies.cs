using System.Text.Json;
using System.Text.Json.Serialization;
using Tessera.Core.Cache;
using Tessera.Core.Stats;

namespace Tessera.Server.Endpoints;

/// <summary>PUT /api/items/{library}/{id}/{role}.</summary>
internal sealed record ItemPutDocument(string Library, string Item, string Key, string Role, IReadOnlyList<string> Sources, string? Path);

/// <summary>POST /api/items/{library}/{id}/aliases.</summary>
internal sealed record ItemAliasesDocument(string Library, string Item, string Key, IReadOnlyList<string> Aliases);

/// <summary>GET /api/items/{library}/{id}.</summary>
internal sealed record ItemDescriptionDocument(string Library, string Item, string Key, IReadOnlyList<string> Aliases, IReadOnlyList<ItemRoleDocument> Roles);

internal sealed record ItemRoleDocument(string Role, IReadOnlyList<string> Sources, string? Path, DateTimeOffset UpdatedAt);

/// <summary>POST /api/items/{library}: bulk registration.</summary>
internal sealed record ItemBulkDocument(string Library, int Items, int Changes);

/// <summary>GET /api/items/{library}.</summary>
internal sealed record ItemListDocument(string Library, IReadOnlyList<ItemListEntry> Items, string? Next);

internal sealed record ItemListEntry(string Id, string Key);

/// <summary>DELETE /api/items/{library}/{id}.</summary>
internal sealed record ItemPurgeDocument(string Library, string Item, string Key, int Registrations, int Aliases, int Renditions, long Bytes, int Negatives);

/// <summary>DELETE /api/items/{library}/{id}/aliases/{alias}.</summary>
internal sealed record AliasRemovedDocument(string Library, string Alias, bool Removed);

/// <summary>DELETE /api/negatives.</summary>
internal sealed record NegativesClearedDocument(int Cleared);

/// <summary>Response bodies written without reflection (NativeAOT), with the web defaults (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ItemPutDocument))]
[JsonSerializable(typeof(ItemAliasesDocument))]
[JsonSerializable(typeof(ItemDescriptionDocument))]
[JsonSerializable(typeof(ItemBulkDocument))]
[JsonSerializable(typeof(ItemListDocument))]
[JsonSerializable(typeof(ItemPurgeDocument))]
[JsonSerializable(typeof(AliasRemovedDocument))]
[JsonSerializable(typeof(NegativesClearedDocument))]
[JsonSerializable(typeof(ClearResult))]
[JsonSerializable(typeof(StatsReport))]
[JsonSerializable(typeof(IReadOnlyList<NegativeView>))]
internal sealed partial class ResponseJson : JsonSerializerContext;
