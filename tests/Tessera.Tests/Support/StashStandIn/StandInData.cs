using System.Collections.Concurrent;

namespace Tessera.Tests.Support.StashStandIn;

/// <summary>How big a data set the stand-in generates, and how: every <see cref="GapEvery"/>-th id is missing (as after
/// deletions), <see cref="TiesPerSecond"/> entities share each updated_at second, one in <see cref="NoImageEvery"/> has
/// only Stash's default image. Timestamps carry <see cref="Offset"/> (Stash writes local time).</summary>
public sealed record StandInSize(int Scenes = 40, int Performers = 12, int Studios = 10, int Tags = 10, int Groups = 10, int Galleries = 10)
{
    public int GapEvery { get; init; } = 7;

    public int TiesPerSecond { get; init; } = 3;

    public int NoImageEvery { get; init; } = 5;

    public TimeSpan Offset { get; init; } = TimeSpan.FromHours(2);

    public DateTimeOffset Start { get; init; } = new(2024, 3, 1, 10, 0, 0, TimeSpan.Zero);
}

/// <summary>The stand-in's entities by type and id (ids sorted numerically), generated deterministically.</summary>
public sealed class StandInData
{
    public static readonly IReadOnlyList<string> Types = ["scenes", "performers", "studios", "tags", "groups", "galleries"];

    private readonly ConcurrentDictionary<string, SortedDictionary<long, StandInEntity>> _byType = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<long>> _generated = new(StringComparer.Ordinal);

    public StandInData(StandInSize size)
    {
        Size = size;
        foreach (var type in Types)
        {
            _byType[type] = [];
            _generated[type] = [];
        }

        Generate("tags", size.Tags, (e, i) =>
        {
            e.Fields["name"] = i % 4 == 1 ? $"Tág {i}" : $"Tag {i}";
            e.Fields["description"] = $"About tag {i}";
            if (i > 2)
            {
                e.Related("parents").Add(IdAt("tags", i % 2));
            }
        });
        Generate("studios", size.Studios, (e, i) =>
        {
            e.Fields["name"] = $"Studio {i}";
            e.Fields["rating100"] = 20 + (i * 7 % 80);
            if (i > 1)
            {
                e.Related("parent_studio").Add(IdAt("studios", 0));
            }

            e.Related("tags").Add(IdAt("tags", i % size.Tags));
        });
        Generate("performers", size.Performers, (e, i) =>
        {
            e.Fields["name"] = i % 3 == 0 ? $"Zoë {i}" : $"Performer {i}";
            e.Fields["birthdate"] = $"19{70 + (i % 30):00}-0{1 + (i % 9)}-1{i % 10}";
            e.Fields["rating100"] = i % 6 == 0 ? null : 10 + (i * 13 % 90);
            e.Related("tags").Add(IdAt("tags", i % size.Tags));
        });
        Generate("groups", size.Groups, (e, i) =>
        {
            e.Fields["name"] = $"Group {i}";
            e.Fields["synopsis"] = $"The story of group {i}";
            e.Fields["duration"] = 3600 + i;
            e.Related("studio").Add(IdAt("studios", i % size.Studios));
            e.Related("tags").Add(IdAt("tags", (i + 1) % size.Tags));
        });
        Generate("galleries", size.Galleries, (e, i) =>
        {
            e.Fields["title"] = $"Gallery {i}";
            e.Fields["image_count"] = 10 + i;
            e.Related("studio").Add(IdAt("studios", i % size.Studios));
            e.Related("tags").Add(IdAt("tags", i % size.Tags));
            e.Related("performers").Add(IdAt("performers", i % size.Performers));
        });
        Generate("scenes", size.Scenes, (e, i) =>
        {
            e.Fields["title"] = i % 11 == 5 ? $"Café scene {i}" : $"Scene {i}";
            e.Fields["details"] = $"Details of scene {i}";
            e.Fields["date"] = $"20{10 + (i % 14):00}-0{1 + (i % 9)}-2{i % 8}";
            e.Fields["rating100"] = i % 4 == 0 ? null : 20 + (i * 17 % 80);
            e.Fields["duration"] = 60.5 + i;
            e.Fields["size"] = 1_000_000L + (i * 4096L);
            e.Fields["basename"] = $"scene-{i}.mp4";
            e.Related("studio").Add(IdAt("studios", i % size.Studios));
            e.Related("tags").AddRange([IdAt("tags", i % size.Tags), IdAt("tags", (i + 3) % size.Tags)]);
            e.Related("performers").Add(IdAt("performers", i % size.Performers));
            if (size.Groups > 0 && i % 3 == 0)
            {
                e.Related("groups").Add(IdAt("groups", i % size.Groups));
            }

            if (size.Galleries > 0 && i % 4 == 0)
            {
                var gallery = IdAt("galleries", i % size.Galleries);
                e.Related("galleries").Add(gallery);
                Get("galleries", gallery)!.Related("scenes").Add(e.Id);
            }
        });
        foreach (var type in new[] { "tags", "studios", "performers", "groups" })
        {
            foreach (var entity in All(type))
            {
                entity.Fields["scene_count"] = 0;
            }
        }

        foreach (var scene in All("scenes"))
        {
            foreach (var (field, type) in new[] { ("tags", "tags"), ("studio", "studios"), ("performers", "performers"), ("groups", "groups") })
            {
                foreach (var id in scene.Related(field))
                {
                    var target = Get(type, id)!;
                    target.Fields["scene_count"] = (int)target.Fields["scene_count"]! + 1;
                }
            }
        }
    }

    public StandInSize Size { get; }

    public IEnumerable<StandInEntity> All(string type)
    {
        lock (_byType[type])
        {
            return [.. _byType[type].Values];
        }
    }

    public StandInEntity? Get(string type, long id)
    {
        lock (_byType[type])
        {
            return _byType[type].GetValueOrDefault(id);
        }
    }

    public void Put(StandInEntity entity)
    {
        lock (_byType[entity.Type])
        {
            _byType[entity.Type][entity.Id] = entity;
        }
    }

    public bool Remove(string type, long id)
    {
        lock (_byType[type])
        {
            return _byType[type].Remove(id);
        }
    }

    public long NextId(string type)
    {
        lock (_byType[type])
        {
            return _byType[type].Count == 0 ? 1 : _byType[type].Keys.Max() + 1;
        }
    }

    private long IdAt(string type, int index) => _generated[type][index];

    private void Generate(string type, int count, Action<StandInEntity, int> fill)
    {
        var id = 0L;
        for (var i = 0; i < count; i++)
        {
            id++;
            if (Size.GapEvery > 0 && id % Size.GapEvery == 0)
            {
                id++;
            }

            var updated = (Size.Start + TimeSpan.FromSeconds(i / Math.Max(1, Size.TiesPerSecond))).ToOffset(Size.Offset);
            var entity = new StandInEntity(type, id)
            {
                CreatedAt = updated - TimeSpan.FromDays(1),
                UpdatedAt = updated,
                HasImage = Size.NoImageEvery <= 0 || i % Size.NoImageEvery != 1,
            };
            fill(entity, i);
            Put(entity);
            _generated[type].Add(id);
        }
    }
}
