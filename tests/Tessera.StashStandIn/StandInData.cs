namespace Tessera.Tests.Support.StashStandIn;

/// <summary>How big a data set the stand-in generates, and how: every <see cref="GapEvery"/>-th id is missing (as after
/// deletions), <see cref="TiesPerSecond"/> entities share each updated_at second, one in <see cref="NoImageEvery"/> has
/// only Stash's default image. Timestamps carry <see cref="Offset"/> (Stash writes local time). With
/// <see cref="VariedRelations"/>, scenes have 2–6 tags and 0–3 performers (the benchmark's library).</summary>
public sealed record StandInSize(int Scenes = 40, int Performers = 12, int Studios = 10, int Tags = 10, int Groups = 10, int Galleries = 10)
{
    public int GapEvery { get; init; } = 7;

    public int TiesPerSecond { get; init; } = 3;

    public int NoImageEvery { get; init; } = 5;

    public bool VariedRelations { get; init; }

    public TimeSpan Offset { get; init; } = TimeSpan.FromHours(2);

    public DateTimeOffset Start { get; init; } = new(2024, 3, 1, 10, 0, 0, TimeSpan.Zero);
}

/// <summary>The stand-in's entities by type and id (ids sorted numerically). The generated entities are never held: each
/// is made from its index when asked for (deterministically), so a quarter of a million scenes cost a few arrays; only
/// what a test or the benchmark changed, added or deleted is kept.</summary>
public sealed class StandInData
{
    public static readonly IReadOnlyList<string> Types = ["scenes", "performers", "studios", "tags", "groups", "galleries"];

    private readonly Dictionary<string, long[]> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> _sceneCounts = new(StringComparer.Ordinal);
    private readonly List<long>[] _galleryScenes;
    private readonly Dictionary<string, SortedDictionary<long, StandInEntity>> _changed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<long>> _deleted = new(StringComparer.Ordinal);

    public StandInData(StandInSize size)
    {
        Size = size;
        foreach (var type in Types)
        {
            var count = Count(type);
            var ids = new long[count];
            var id = 0L;
            for (var i = 0; i < count; i++)
            {
                id++;
                if (size.GapEvery > 0 && id % size.GapEvery == 0)
                {
                    id++;
                }

                ids[i] = id;
            }

            _ids[type] = ids;
            _sceneCounts[type] = new int[count];
            _changed[type] = [];
            _deleted[type] = [];
        }

        _galleryScenes = new List<long>[size.Galleries];
        for (var g = 0; g < size.Galleries; g++)
        {
            _galleryScenes[g] = [];
        }

        for (var i = 0; i < size.Scenes; i++)
        {
            var r = SceneRelations(i);
            _sceneCounts["studios"][r.Studio]++;
            foreach (var t in r.Tags)
            {
                _sceneCounts["tags"][t]++;
            }

            foreach (var p in r.Performers)
            {
                _sceneCounts["performers"][p]++;
            }

            if (r.Group is { } group)
            {
                _sceneCounts["groups"][group]++;
            }

            if (r.Gallery is { } gallery)
            {
                _galleryScenes[gallery].Add(_ids["scenes"][i]);
            }
        }
    }

    public StandInSize Size { get; }

    /// <summary>Every entity of a type in id order, made as the enumeration reaches it.</summary>
    public IEnumerable<StandInEntity> All(string type)
    {
        foreach (var id in Ids(type))
        {
            if (Get(type, id) is { } entity)
            {
                yield return entity;
            }
        }
    }

    /// <summary>The ids of a type in order, without making the entities (a snapshot of what changed; generated ids never move).</summary>
    public IEnumerable<long> Ids(string type)
    {
        long[] added;
        HashSet<long> deleted;
        var ids = _ids[type];
        lock (_changed[type])
        {
            added = [.. _changed[type].Keys.Where(id => Array.BinarySearch(ids, id) < 0)];
            deleted = [.. _deleted[type]];
        }

        return Merge(ids, added, deleted);
    }

    /// <summary>An entity's updated_at without making it.</summary>
    public DateTimeOffset UpdatedAt(string type, long id)
    {
        lock (_changed[type])
        {
            if (_changed[type].TryGetValue(id, out var changed))
            {
                return changed.UpdatedAt;
            }
        }

        var index = Array.BinarySearch(_ids[type], id);
        return index >= 0 ? BaseUpdatedAt(index) : DateTimeOffset.MinValue;
    }

    public StandInEntity? Get(string type, long id)
    {
        lock (_changed[type])
        {
            if (_deleted[type].Contains(id))
            {
                return null;
            }

            if (_changed[type].TryGetValue(id, out var changed))
            {
                return changed;
            }
        }

        var index = Array.BinarySearch(_ids[type], id);
        return index >= 0 ? Generate(type, index) : null;
    }

    /// <summary>Keeps an entity as changed (or added, or back after a deletion).</summary>
    public void Put(StandInEntity entity)
    {
        lock (_changed[entity.Type])
        {
            _changed[entity.Type][entity.Id] = entity;
            _deleted[entity.Type].Remove(entity.Id);
        }
    }

    public bool Remove(string type, long id)
    {
        var existed = Get(type, id) is not null;
        lock (_changed[type])
        {
            _changed[type].Remove(id);
            _deleted[type].Add(id);
        }

        return existed;
    }

    public long NextId(string type)
    {
        var ids = _ids[type];
        lock (_changed[type])
        {
            var last = Math.Max(ids.Length == 0 ? 0 : ids[^1], _changed[type].Count == 0 ? 0 : _changed[type].Keys.Max());
            return Math.Max(last, _deleted[type].Count == 0 ? 0 : _deleted[type].Max()) + 1;
        }
    }

    private int Count(string type) => type switch
    {
        "scenes" => Size.Scenes,
        "performers" => Size.Performers,
        "studios" => Size.Studios,
        "tags" => Size.Tags,
        "groups" => Size.Groups,
        _ => Size.Galleries,
    };

    private DateTimeOffset BaseUpdatedAt(int index) =>
        (Size.Start + TimeSpan.FromSeconds(index / Math.Max(1, Size.TiesPerSecond))).ToOffset(Size.Offset);

    private long IdAt(string type, int index) => _ids[type][index];

    private (int Studio, int[] Tags, int[] Performers, int? Group, int? Gallery) SceneRelations(int i)
    {
        var s = Size;
        int[] tags = s.VariedRelations
            ? [.. Enumerable.Range(0, 2 + (i % 5)).Select(k => (int)(((long)i * 7 + (k * 131L)) % s.Tags)).Distinct()]
            : [i % s.Tags, (i + 3) % s.Tags];
        int[] performers = s.Performers == 0 ? [] : s.VariedRelations
            ? [.. Enumerable.Range(0, i % 4).Select(k => (int)(((long)i * 13 + (k * 977L)) % s.Performers)).Distinct()]
            : [i % s.Performers];
        return (i % s.Studios, tags, performers, s.Groups > 0 && i % 3 == 0 ? i % s.Groups : null, s.Galleries > 0 && i % 4 == 0 ? i % s.Galleries : null);
    }

    private StandInEntity Generate(string type, int i)
    {
        var updated = BaseUpdatedAt(i);
        var e = new StandInEntity(type, _ids[type][i])
        {
            CreatedAt = updated - TimeSpan.FromDays(1),
            UpdatedAt = updated,
            HasImage = Size.NoImageEvery <= 0 || i % Size.NoImageEvery != 1,
        };
        if (type is "tags" or "studios" or "performers" or "groups")
        {
            e.Fields["scene_count"] = _sceneCounts[type][i];
        }

        switch (type)
        {
            case "tags":
                e.Fields["name"] = i % 4 == 1 ? $"Tág {i}" : $"Tag {i}";
                e.Fields["description"] = $"About tag {i}";
                if (i > 2)
                {
                    e.Related("parents").Add(IdAt("tags", i % 2));
                }

                break;
            case "studios":
                e.Fields["name"] = $"Studio {i}";
                e.Fields["rating100"] = 20 + (i * 7 % 80);
                if (i > 1)
                {
                    e.Related("parent_studio").Add(IdAt("studios", 0));
                }

                e.Related("tags").Add(IdAt("tags", i % Size.Tags));
                break;
            case "performers":
                e.Fields["name"] = i % 3 == 0 ? $"Zoë {i}" : $"Performer {i}";
                e.Fields["birthdate"] = $"19{70 + (i % 30):00}-0{1 + (i % 9)}-1{i % 10}";
                e.Fields["rating100"] = i % 6 == 0 ? null : 10 + (i * 13 % 90);
                e.Related("tags").Add(IdAt("tags", i % Size.Tags));
                break;
            case "groups":
                e.Fields["name"] = $"Group {i}";
                e.Fields["synopsis"] = $"The story of group {i}";
                e.Fields["duration"] = 3600 + i;
                e.Related("studio").Add(IdAt("studios", i % Size.Studios));
                e.Related("tags").Add(IdAt("tags", (i + 1) % Size.Tags));
                break;
            case "galleries":
                e.Fields["title"] = $"Gallery {i}";
                e.Fields["image_count"] = 10 + i;
                e.Related("studio").Add(IdAt("studios", i % Size.Studios));
                e.Related("tags").Add(IdAt("tags", i % Size.Tags));
                e.Related("performers").Add(IdAt("performers", i % Size.Performers));
                e.Related("scenes").AddRange(_galleryScenes[i]);
                break;
            default:
                e.Fields["title"] = i % 11 == 5 ? $"Café scene {i}" : $"Scene {i}";
                e.Fields["details"] = $"Details of scene {i}";
                e.Fields["date"] = $"20{10 + (i % 14):00}-0{1 + (i % 9)}-2{i % 8}";
                e.Fields["rating100"] = i % 4 == 0 ? null : 20 + (i * 17 % 80);
                e.Fields["duration"] = 60.5 + i;
                e.Fields["size"] = 1_000_000L + (i * 4096L);
                e.Fields["basename"] = $"scene-{i}.mp4";
                var r = SceneRelations(i);
                e.Related("studio").Add(IdAt("studios", r.Studio));
                e.Related("tags").AddRange(r.Tags.Select(t => IdAt("tags", t)));
                e.Related("performers").AddRange(r.Performers.Select(p => IdAt("performers", p)));
                if (r.Group is { } group)
                {
                    e.Related("groups").Add(IdAt("groups", group));
                }

                if (r.Gallery is { } gallery)
                {
                    e.Related("galleries").Add(IdAt("galleries", gallery));
                }

                break;
        }

        return e;
    }

    private static IEnumerable<long> Merge(long[] ids, long[] added, HashSet<long> deleted)
    {
        int a = 0, b = 0;
        while (a < ids.Length || b < added.Length)
        {
            var id = b >= added.Length || (a < ids.Length && ids[a] < added[b]) ? ids[a++] : added[b++];
            if (!deleted.Contains(id))
            {
                yield return id;
            }
        }
    }
}
