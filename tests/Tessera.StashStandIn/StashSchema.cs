using System.Text.Json;
using GraphQLParser;
using GraphQLParser.AST;

namespace Tessera.Tests.Support.StashStandIn;

/// <summary>The subset of Stash's schema (graphql/schema in stashapp/stash) the catalog uses, hand-written as SDL, and a
/// validator that checks an operation against it as Stash's gqlgen would: every field and argument must exist, object
/// fields need a selection, and variable values may only carry fields their input type has. A violation is Stash's
/// HTTP 422.</summary>
public static class StashSchema
{
    public const string Sdl = """
        type Query {
          findScene(id: ID, checksum: String): Scene
          findScenes(scene_filter: SceneFilterType, scene_ids: [Int!], ids: [ID!], filter: FindFilterType): FindScenesResultType!
          findPerformer(id: ID!): Performer
          findPerformers(performer_filter: PerformerFilterType, filter: FindFilterType, performer_ids: [Int!], ids: [ID!]): FindPerformersResultType!
          findStudio(id: ID!): Studio
          findStudios(studio_filter: StudioFilterType, filter: FindFilterType, ids: [ID!]): FindStudiosResultType!
          findTag(id: ID!): Tag
          findTags(tag_filter: TagFilterType, filter: FindFilterType, ids: [ID!]): FindTagsResultType!
          findGroup(id: ID!): Group
          findGroups(group_filter: GroupFilterType, filter: FindFilterType, ids: [ID!]): FindGroupsResultType!
          findGallery(id: ID!): Gallery
          findGalleries(gallery_filter: GalleryFilterType, filter: FindFilterType, ids: [ID!]): FindGalleriesResultType!
        }

        enum SortDirectionEnum { ASC DESC }
        enum CriterionModifier { EQUALS NOT_EQUALS GREATER_THAN LESS_THAN IS_NULL NOT_NULL INCLUDES_ALL INCLUDES EXCLUDES BETWEEN NOT_BETWEEN }
        enum GenderEnum { MALE FEMALE TRANSGENDER_MALE TRANSGENDER_FEMALE INTERSEX NON_BINARY }
        scalar Time
        scalar Int64

        input FindFilterType { q: String page: Int per_page: Int sort: String direction: SortDirectionEnum }
        input TimestampCriterionInput { value: String! value2: String modifier: CriterionModifier! }
        input IntCriterionInput { value: Int! value2: Int modifier: CriterionModifier! }
        input SceneFilterType { id: IntCriterionInput updated_at: TimestampCriterionInput created_at: TimestampCriterionInput }
        input PerformerFilterType { updated_at: TimestampCriterionInput created_at: TimestampCriterionInput }
        input StudioFilterType { updated_at: TimestampCriterionInput created_at: TimestampCriterionInput }
        input TagFilterType { updated_at: TimestampCriterionInput created_at: TimestampCriterionInput }
        input GroupFilterType { updated_at: TimestampCriterionInput created_at: TimestampCriterionInput }
        input GalleryFilterType { id: IntCriterionInput updated_at: TimestampCriterionInput created_at: TimestampCriterionInput }

        type FindScenesResultType { count: Int! duration: Float! filesize: Float! scenes: [Scene!]! }
        type FindPerformersResultType { count: Int! performers: [Performer!]! }
        type FindStudiosResultType { count: Int! studios: [Studio!]! }
        type FindTagsResultType { count: Int! tags: [Tag!]! }
        type FindGroupsResultType { count: Int! groups: [Group!]! }
        type FindGalleriesResultType { count: Int! galleries: [Gallery!]! }

        type VideoFile { id: ID! path: String! basename: String! size: Int64! duration: Float! width: Int! height: Int! }
        type GalleryFile { id: ID! path: String! basename: String! size: Int64! }
        type ScenePathsType { screenshot: String preview: String stream: String webp: String vtt: String sprite: String }
        type GalleryPathsType { cover: String! preview: String! }
        type SceneGroup { group: Group! scene_index: Int }

        type Scene {
          id: ID! title: String code: String details: String director: String urls: [String!]! date: String rating100: Int
          organized: Boolean! o_counter: Int created_at: Time! updated_at: Time! play_count: Int
          files: [VideoFile!]! paths: ScenePathsType! galleries: [Gallery!]! studio: Studio groups: [SceneGroup!]!
          tags: [Tag!]! performers: [Performer!]!
        }
        type Performer {
          id: ID! name: String! disambiguation: String urls: [String!] gender: GenderEnum birthdate: String country: String
          alias_list: [String!]! favorite: Boolean! tags: [Tag!]! image_path: String scene_count: Int! image_count: Int!
          gallery_count: Int! group_count: Int! rating100: Int details: String created_at: Time! updated_at: Time!
        }
        type Studio {
          id: ID! name: String! urls: [String!]! parent_studio: Studio child_studios: [Studio!]! aliases: [String!]!
          tags: [Tag!]! image_path: String scene_count(depth: Int): Int! rating100: Int favorite: Boolean! details: String
          created_at: Time! updated_at: Time!
        }
        type Tag {
          id: ID! name: String! description: String aliases: [String!]! favorite: Boolean! created_at: Time! updated_at: Time!
          image_path: String scene_count(depth: Int): Int! parents: [Tag!]! children: [Tag!]!
        }
        type Group {
          id: ID! name: String! aliases: String duration: Int date: String rating100: Int studio: Studio director: String
          synopsis: String urls: [String!]! tags: [Tag!]! created_at: Time! updated_at: Time! front_image_path: String
          back_image_path: String scene_count(depth: Int): Int!
        }
        type Gallery {
          id: ID! title: String code: String urls: [String!]! date: String details: String photographer: String
          rating100: Int organized: Boolean! created_at: Time! updated_at: Time! files: [GalleryFile!]! scenes: [Scene!]!
          studio: Studio image_count: Int! tags: [Tag!]! performers: [Performer!]! paths: GalleryPathsType!
        }
        """;

    private static readonly HashSet<string> BuiltIn = new(["ID", "String", "Int", "Float", "Boolean"], StringComparer.Ordinal);

    private static readonly Lazy<Dictionary<string, GraphQLTypeDefinition>> Types = new(() =>
        Parser.Parse(Sdl).Definitions.OfType<GraphQLTypeDefinition>().ToDictionary(d => d.Name.StringValue, StringComparer.Ordinal));

    /// <summary>Null when valid, else the message Stash's validator would give.</summary>
    public static string? Validate(GraphQLOperationDefinition operation, JsonElement variables)
    {
        foreach (var definition in operation.Variables?.Items ?? [])
        {
            var typeName = NamedType(definition.Type);
            if (!Types.Value.ContainsKey(typeName) && !BuiltIn.Contains(typeName))
            {
                return $"Unknown type \"{typeName}\".";
            }

            var name = definition.Variable.Name.StringValue;
            if (variables.ValueKind == JsonValueKind.Object && variables.TryGetProperty(name, out var value)
                && CheckInput(typeName, value, name) is { } error)
            {
                return error;
            }
        }

        return CheckSelection("Query", operation.SelectionSet, operation);
    }

    private static string? CheckSelection(string typeName, GraphQLSelectionSet? selectionSet, GraphQLOperationDefinition operation)
    {
        if (Types.Value[typeName] is not GraphQLObjectTypeDefinition type)
        {
            return $"Field of type \"{typeName}\" must not have a selection.";
        }

        foreach (var selection in selectionSet?.Selections ?? [])
        {
            if (selection is not GraphQLField field)
            {
                return "Only plain fields are supported by this stand-in.";
            }

            var name = field.Name.StringValue;
            var definition = type.Fields?.Items.FirstOrDefault(f => f.Name.StringValue == name);
            if (definition is null)
            {
                return $"Cannot query field \"{name}\" on type \"{typeName}\".";
            }

            foreach (var argument in field.Arguments?.Items ?? [])
            {
                if (definition.Arguments?.Items.Any(a => a.Name.StringValue == argument.Name.StringValue) != true)
                {
                    return $"Unknown argument \"{argument.Name.StringValue}\" on field \"{typeName}.{name}\".";
                }
            }

            var fieldType = NamedType(definition.Type);
            var isObject = Types.Value.TryGetValue(fieldType, out var t) && t is GraphQLObjectTypeDefinition;
            if (isObject && field.SelectionSet is null)
            {
                return $"Field \"{name}\" of type \"{fieldType}\" must have a selection of subfields.";
            }

            if (!isObject && field.SelectionSet is not null)
            {
                return $"Field \"{name}\" must not have a selection since type \"{fieldType}\" has no subfields.";
            }

            if (isObject && CheckSelection(fieldType, field.SelectionSet, operation) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? CheckInput(string typeName, JsonElement value, string path)
    {
        if (typeName == "Int" && value.ValueKind != JsonValueKind.Null)
        {
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _) ? null : $"{path} is not an Int.";
        }

        if (value.ValueKind == JsonValueKind.Null || !Types.Value.TryGetValue(typeName, out var type))
        {
            return null;
        }

        if (type is GraphQLEnumTypeDefinition enumType)
        {
            return value.ValueKind == JsonValueKind.String && enumType.Values!.Items.Any(v => v.Name.StringValue == value.GetString())
                ? null : $"{path} has an invalid value for enum {typeName}.";
        }

        if (type is not GraphQLInputObjectTypeDefinition input)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return $"{path} must be an object of type {typeName}.";
        }

        foreach (var property in value.EnumerateObject())
        {
            var field = input.Fields?.Items.FirstOrDefault(f => f.Name.StringValue == property.Name);
            if (field is null)
            {
                return $"{path}.{property.Name} unknown field.";
            }

            if (CheckInput(NamedType(field.Type), property.Value, $"{path}.{property.Name}") is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string NamedType(GraphQLType type) => type switch
    {
        GraphQLNonNullType n => NamedType(n.Type),
        GraphQLListType l => NamedType(l.Type),
        GraphQLNamedType named => named.Name.StringValue,
        _ => throw new InvalidOperationException(),
    };
}
