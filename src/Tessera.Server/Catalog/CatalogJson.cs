using System.Text.Json;
using System.Text.Json.Serialization;
using Tessera.Core.Catalog;

namespace Tessera.Server.Catalog;

/// <summary>The catalog API's bodies both ways, source-generated (NativeAOT, no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CatalogPageDocument))]
[JsonSerializable(typeof(CatalogEntityDocument))]
[JsonSerializable(typeof(CatalogStatusDocument))]
[JsonSerializable(typeof(CatalogStats))]
[JsonSerializable(typeof(RestrictionsDocument))]
[JsonSerializable(typeof(List<RuleBody>))]
[JsonSerializable(typeof(NotifyBody))]
[JsonSerializable(typeof(NotifyDocument))]
[JsonSerializable(typeof(SyncBody))]
public sealed partial class CatalogJson : JsonSerializerContext;

/// <summary>An entity as browsing shows it: its columns, its relations' ids by type, and its images as Tessera item
/// URLs by role (null: the upstream has only its default image). Never an upstream URL.</summary>
public sealed record CatalogItemDocument(string Type, string Id, string Title, string? Details, string? Date, int? Rating, double? DurationSeconds,
    long? SizeBytes, long? Count, DateTimeOffset UpdatedAt, DateTimeOffset? CreatedAt, IReadOnlyDictionary<string, List<string>> Relations,
    IReadOnlyDictionary<string, string?> Images);

public sealed record CatalogPageDocument(long Count, int Page, int PerPage, IReadOnlyList<CatalogItemDocument> Items);

/// <summary>One entity with its relations named (id and title; a relation hidden from the user or not synced is left out).</summary>
public sealed record CatalogEntityDocument(CatalogItemDocument Entity, IReadOnlyDictionary<string, List<RelatedDocument>> Related);

public sealed record RelatedDocument(string Id, string Title);

public sealed record CatalogStatusDocument(string Name, bool Public, IReadOnlyList<CatalogTypeStatus> Types);

public sealed record CatalogTypeStatus(string Type, long Count, DateTimeOffset? UpdatedSince, DateTimeOffset? LastFullSync, DateTimeOffset? LastSync, string? LastResult);

public sealed record RestrictionsDocument(string User, IReadOnlyList<CatalogRule> Rules);

/// <summary>One rule of PUT …/restrictions: <c>{"type":"tags","mode":"exclude","ids":["12"]}</c>.</summary>
public sealed record RuleBody(string? Type, string? Mode, List<string>? Ids);

/// <summary>POST …/notify: <c>{"type":"scene","id":"123","action":"update"}</c>.</summary>
public sealed record NotifyBody(string? Type, string? Id, string? Action);

public sealed record NotifyDocument(string Type, string Id, string Action, string Result);

/// <summary>POST …/sync: <c>{"mode":"full|incremental|smart"}</c> (default smart).</summary>
public sealed record SyncBody(string? Mode);
