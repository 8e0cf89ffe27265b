using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Tessera.Core.Catalog.Stash;

namespace Tessera.Tests.Support.StashStandIn;

/// <summary>Executes the operations the catalog sends, as Stash does: find-many with paging (<c>per_page: 0</c> → the
/// count alone, -1 → all), sort by id (numeric) or updated_at (then id), an <c>updated_at</c> criterion compared as
/// text, an <c>id</c> criterion compared as a number (scenes and galleries only, as in Stash's schema), and find-one by id; results projected to exactly the fields selected.</summary>
internal sealed class StandInGraphQl(StashStandIn server)
{
    private static readonly Dictionary<string, (string Type, bool Many)> Roots = new(StringComparer.Ordinal)
    {
        ["findScenes"] = ("scenes", true), ["findScene"] = ("scenes", false),
        ["findPerformers"] = ("performers", true), ["findPerformer"] = ("performers", false),
        ["findStudios"] = ("studios", true), ["findStudio"] = ("studios", false),
        ["findTags"] = ("tags", true), ["findTag"] = ("tags", false),
        ["findGroups"] = ("groups", true), ["findGroup"] = ("groups", false),
        ["findGalleries"] = ("galleries", true), ["findGallery"] = ("galleries", false),
    };

    private static readonly Dictionary<string, string> RelationTypes = new(StringComparer.Ordinal)
    {
        ["tags"] = "tags", ["parents"] = "tags", ["children"] = "tags", ["performers"] = "performers", ["galleries"] = "galleries",
        ["scenes"] = "scenes", ["studio"] = "studios", ["parent_studio"] = "studios",
    };

    private StandInData Data => server.Data;

    public JsonObject Execute(GraphQLOperationDefinition operation, JsonElement variables)
    {
        var data = new JsonObject();
        foreach (var field in operation.SelectionSet.Selections.OfType<GraphQLField>())
        {
            var (type, many) = Roots[field.Name.StringValue];
            var args = (field.Arguments?.Items ?? []).ToDictionary(a => a.Name.StringValue, a => ToNode(a.Value, variables), StringComparer.Ordinal);
            var name = field.Alias?.Name.StringValue ?? field.Name.StringValue;
            if (!many)
            {
                var id = long.TryParse(args.GetValueOrDefault("id")?.GetValue<string>(), out var n) ? n : -1;
                data[name] = Data.Get(type, id) is { } one ? Project(one, field.SelectionSet) : null;
                continue;
            }

            data[name] = Project(List(type, args), field.SelectionSet);
        }

        return new JsonObject { ["data"] = data };
    }

    private Dictionary<string, object?> List(string type, Dictionary<string, JsonNode?> args)
    {
        var filter = args.GetValueOrDefault("filter") as JsonObject;
        var where = args.FirstOrDefault(a => a.Key.EndsWith("_filter", StringComparison.Ordinal)).Value;
        var criterion = where?["updated_at"] as JsonObject;
        // Ids first (cheap: the data makes no entity for them), entities only for the page answered.
        var ids = Data.Ids(type);
        if (where?["id"] is JsonObject idCriterion)
        {
            ids = ids.Where(id => IntCriterion(idCriterion, id));
        }

        if (criterion is not null)
        {
            var value = criterion["value"]!.GetValue<string>();
            var modifier = criterion["modifier"]!.GetValue<string>();
            ids = ids.Where(id =>
            {
                var order = string.CompareOrdinal(Time(Data.UpdatedAt(type, id)), value);
                return modifier switch { "GREATER_THAN" => order > 0, "LESS_THAN" => order < 0, "EQUALS" => order == 0, _ => true };
            });
        }

        var sort = filter?["sort"]?.GetValue<string>();
        var descending = filter?["direction"]?.GetValue<string>() == "DESC";
        ids = sort switch
        {
            "id" => descending ? ids.Reverse() : ids,
            "updated_at" => descending ? ids.OrderByDescending(id => Time(Data.UpdatedAt(type, id)), StringComparer.Ordinal).ThenByDescending(id => id)
                : ids.OrderBy(id => Time(Data.UpdatedAt(type, id)), StringComparer.Ordinal).ThenBy(id => id),
            _ => ids.OrderBy(id => id % 5).ThenBy(id => id), // Stash applies no order unless asked: any order at all
        };
        var all = ids.ToList();
        var perPage = filter?["per_page"]?.GetValue<int>() ?? 25;
        var page = Math.Max(1, filter?["page"]?.GetValue<int>() ?? 1);
        IEnumerable<long> slice = perPage switch
        {
            0 => [],
            < 0 => all,
            _ => all.Skip((page - 1) * perPage).Take(perPage),
        };
        var items = slice.Select(id => Data.Get(type, id)).OfType<StandInEntity>().ToList();
        if (items.Count > 0 && server.TakeShortListing())
        {
            items = items[..^1];
        }

        if (perPage != 0)
        {
            server.ListingAnswered();
        }

        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["count"] = all.Count + server.CountSkew,
            [ListField(type)] = items,
        };
    }

    private static string ListField(string type) => type;

    /// <summary>Stash's <c>IntCriterionInput</c> on a numeric column (ids are integers; comparisons are numeric).</summary>
    private static bool IntCriterion(JsonObject criterion, long value)
    {
        var a = criterion["value"]!.GetValue<int>();
        var b = criterion["value2"]?.GetValue<int>();
        return criterion["modifier"]!.GetValue<string>() switch
        {
            "EQUALS" => value == a,
            "NOT_EQUALS" => value != a,
            "GREATER_THAN" => value > a,
            "LESS_THAN" => value < a,
            "BETWEEN" => value >= a && value <= (b ?? a),
            "NOT_BETWEEN" => value < a || value > (b ?? a),
            var other => throw new InvalidOperationException($"the stand-in has no int modifier {other}"),
        };
    }

    private string Time(DateTimeOffset time) => StashTime.Format(time.ToOffset(Data.Size.Offset));

    private JsonNode? Project(object? source, GraphQLSelectionSet? selection)
    {
        switch (source)
        {
            case null:
                return null;
            case StandInEntity entity:
                return ProjectFields(name => Resolve(entity, name), selection);
            case Dictionary<string, object?> map:
                return ProjectFields(name => map.GetValueOrDefault(name), selection);
            // Typed, not JsonValue.Create(object): that is reflection, off in the test process as in the product.
            case string s:
                return JsonValue.Create(s);
            case int i:
                return JsonValue.Create(i);
            case long l:
                return JsonValue.Create(l);
            case double d:
                return JsonValue.Create(d);
            case bool b:
                return JsonValue.Create(b);
            case System.Collections.IEnumerable list:
                var array = new JsonArray();
                foreach (var item in list)
                {
                    array.Add(Project(item, selection));
                }

                return array;
            default:
                throw new InvalidOperationException($"cannot project {source.GetType()}");
        }
    }

    private JsonObject ProjectFields(Func<string, object?> resolve, GraphQLSelectionSet? selection)
    {
        var result = new JsonObject();
        foreach (var field in selection?.Selections.OfType<GraphQLField>() ?? [])
        {
            result[field.Alias?.Name.StringValue ?? field.Name.StringValue] = Project(resolve(field.Name.StringValue), field.SelectionSet);
        }

        return result;
    }

    private object? Resolve(StandInEntity e, string name)
    {
        var singular = e.Type switch { "galleries" => "gallery", _ => e.Type[..^1] };
        return name switch
        {
            "id" => e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "created_at" => Time(e.CreatedAt),
            "updated_at" => Time(e.UpdatedAt),
            "files" when e.Type == "scenes" => new[] { Map(("id", $"f{e.Id}"), ("path", $"/media/{e.Fields["basename"]}"), ("basename", e.Fields["basename"]), ("size", e.Fields["size"]), ("duration", e.Fields["duration"])) },
            "files" => new[] { Map(("id", $"g{e.Id}"), ("path", $"/media/gallery-{e.Id}.zip"), ("basename", $"gallery-{e.Id}.zip")) },
            "paths" when e.Type == "scenes" => Map(("screenshot", server.ImageUrl(e, "screenshot"))),
            "paths" => Map(("cover", server.ImageUrl(e, "cover")), ("preview", server.ImageUrl(e, "preview"))),
            "image_path" => server.ImageUrl(e, "image"),
            "front_image_path" => server.ImageUrl(e, "frontimage"),
            "back_image_path" => server.ImageUrl(e, "backimage"),
            "groups" when e.Type == "scenes" => e.Related("groups").Select(id => Map(("group", Data.Get("groups", id)), ("scene_index", null))).ToList(),
            "studio" or "parent_studio" => e.Related(name).Select(id => Data.Get(RelationTypes[name], id)).FirstOrDefault(),
            _ when RelationTypes.TryGetValue(name, out var type) => e.Related(name).Select(id => Data.Get(type, id)).Where(x => x is not null).ToList(),
            "urls" or "aliases" or "alias_list" => Array.Empty<string>(),
            "organized" or "favorite" => false,
            _ => e.Fields.GetValueOrDefault(name) ?? (name == "scene_count" ? 0 : null),
        };
    }

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static JsonNode? ToNode(GraphQLValue value, JsonElement variables) => value switch
    {
        GraphQLVariable v => variables.ValueKind == JsonValueKind.Object && variables.TryGetProperty(v.Name.StringValue, out var json) ? JsonNode.Parse(json.GetRawText()) : null,
        GraphQLNullValue => null,
        GraphQLIntValue i => JsonValue.Create(int.Parse(i.Value.Span, provider: System.Globalization.CultureInfo.InvariantCulture)),
        GraphQLStringValue s => JsonValue.Create(new string(s.Value.Span)),
        GraphQLEnumValue en => JsonValue.Create(en.Name.StringValue),
        GraphQLBooleanValue b => JsonValue.Create(b.BoolValue),
        GraphQLListValue l => new JsonArray([.. (l.Values ?? []).Select(x => ToNode(x, variables))]),
        GraphQLObjectValue o => new JsonObject((o.Fields ?? []).Select(f => KeyValuePair.Create(f.Name.StringValue, ToNode(f.Value, variables)))),
        _ => throw new InvalidOperationException($"unsupported value {value.Kind}"),
    };
}
