using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Core.Catalog.Stash;

internal sealed record StashRef(
    [property: JsonPropertyName("id")] string Id);

internal sealed record StashGroupRef([property: JsonPropertyName("group")] StashRef? Group);

internal sealed record StashFile(
    [property: JsonPropertyName("basename")] string? Basename,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("duration")] double? Duration);

internal sealed record StashPaths(
    [property: JsonPropertyName("screenshot")] string? Screenshot,
    [property: JsonPropertyName("cover")] string? Cover);

/// <summary>Every field the six operations ask for, whichever type answered; what a type lacks stays null.</summary>
internal sealed record StashEntity(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("details")] string? Details,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("synopsis")] string? Synopsis,
    [property: JsonPropertyName("date")] string? Date,
    [property: JsonPropertyName("birthdate")] string? Birthdate,
    [property: JsonPropertyName("rating100")] int? Rating100,
    [property: JsonPropertyName("duration")] double? Duration,
    [property: JsonPropertyName("scene_count")] long? SceneCount,
    [property: JsonPropertyName("image_count")] long? ImageCount,
    [property: JsonPropertyName("created_at")] string? CreatedAt,
    [property: JsonPropertyName("updated_at")] string? UpdatedAt,
    [property: JsonPropertyName("files")] IReadOnlyList<StashFile>? Files,
    [property: JsonPropertyName("paths")] StashPaths? Paths,
    [property: JsonPropertyName("image_path")] string? ImagePath,
    [property: JsonPropertyName("front_image_path")] string? FrontImagePath,
    [property: JsonPropertyName("back_image_path")] string? BackImagePath,
    [property: JsonPropertyName("studio")] StashRef? Studio,
    [property: JsonPropertyName("parent_studio")] StashRef? ParentStudio,
    [property: JsonPropertyName("tags")] IReadOnlyList<StashRef>? Tags,
    [property: JsonPropertyName("parents")] IReadOnlyList<StashRef>? Parents,
    [property: JsonPropertyName("performers")] IReadOnlyList<StashRef>? Performers,
    [property: JsonPropertyName("groups")] IReadOnlyList<StashGroupRef>? Groups,
    [property: JsonPropertyName("galleries")] IReadOnlyList<StashRef>? Galleries,
    [property: JsonPropertyName("scenes")] IReadOnlyList<StashRef>? Scenes);

/// <summary>Source-generated (NativeAOT: no reflection). Stash's Int64 sizes may arrive as numbers or strings.</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(StashEntity))]
internal sealed partial class StashJsonContext : JsonSerializerContext;
