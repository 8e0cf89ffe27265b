using Tessera.Core.Items;
using Tessera.Core.Presets;
using Tessera.Core.Sources;

namespace Tessera.Core.Jobs;

/// <summary><c>warm</c>: a folder library (or some paths in it), app items by id, or every registered item of an
/// items-only library, at some presets (default: all), in every format a preset is served in.</summary>
public sealed class WarmKind(IReadOnlyDictionary<string, FolderLibrary> libraries, ItemResolver resolver, ItemRegistry registry,
    PresetCatalog catalog, TaskRunner runner) : IJobKind
{
    public const string KindName = "warm";

    public string Name => KindName;

    public JobDefinition Define(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Urls is { Count: > 0 } || request.Preset is not null)
        {
            throw new JobRequestException("a warm job takes library, paths or ids, and presets (urls and preset are for preload)");
        }

        if (request.Library is not { Length: > 0 } library || !resolver.IsItemLibrary(library))
        {
            throw new JobRequestException($"unknown library '{request.Library}'; a warm job needs one of: {string.Join(", ", Libraries())}");
        }

        var paths = request.Paths is { Count: > 0 } p ? p : null;
        var ids = request.Ids is { Count: > 0 } i ? i : null;
        if (paths is not null && ids is not null)
        {
            throw new JobRequestException("a warm job takes paths or ids, not both");
        }

        if (paths is not null)
        {
            if (!libraries.TryGetValue(library, out var folder))
            {
                throw new JobRequestException($"library '{library}' has no folder, so a warm job cannot name paths in it");
            }

            foreach (var path in paths)
            {
                if (folder.Resolve(path) is { Outcome: not PathOutcome.Found } bad)
                {
                    throw new JobRequestException($"path '{path}': {bad.Reason}");
                }
            }
        }

        var normalized = ids?.Select(Normalize).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var presets = CheckPresets(request.Presets);
        var roles = CheckRoles(request.Roles, library, ids is not null);
        var spec = new JobSpec(Library: library, Paths: paths?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), Ids: normalized, Presets: presets,
            Roles: roles);
        return new JobDefinition(Scope(spec), spec.ToJson());
    }

    /// <summary>A folder that is no library (the CLI's <c>warm PATH</c>): its whole tree, or some relative paths in it.</summary>
    public JobDefinition DefineFolder(string root, IReadOnlyList<string>? paths, IReadOnlyList<string>? presets)
    {
        var spec = new JobSpec(Root: root, Paths: paths?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), Presets: CheckPresets(presets));
        return new JobDefinition(Scope(spec), spec.ToJson());
    }

    public IJobRun Open(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var spec = JobSpec.Parse(job.Spec);
        var presets = (spec.Presets ?? [.. catalog.All.Select(p => p.Name)])
            .Select(n => catalog.TryGet(n, out var p) ? p : throw new JobRequestException($"unknown preset '{n}'"))
            .ToList();
        if (spec.Root is { } root)
        {
            return new WarmFolderRun(new FolderLibrary("folder", root), spec.Paths, presets, runner);
        }

        var library = spec.Library ?? throw new JobRequestException("the job names no library");
        if (spec.Ids is null && libraries.TryGetValue(library, out var folder))
        {
            return new WarmFolderRun(folder, spec.Paths, presets, runner);
        }

        return resolver.IsItemLibrary(library)
            ? new WarmItemsRun(library, spec.Ids, spec.Roles ?? [WarmItemsRun.DefaultRole], presets, resolver, registry, runner)
            : throw new JobRequestException($"library '{library}' is not configured here");
    }

    /// <summary>kind-specific scope text: library or folder, then a hash of the sorted paths or ids, then the presets.</summary>
    private static string Scope(JobSpec spec)
    {
        var scope = spec.Root is { } root ? $"folder={root}" : $"library={spec.Library}";
        if (spec.Paths is { } paths)
        {
            scope += $";paths={JobSpec.Hash(paths)}";
        }

        if (spec.Ids is { } ids)
        {
            scope += $";ids={JobSpec.Hash(ids)}";
        }

        if (spec.Roles is { } roles)
        {
            scope += $";roles={string.Join(',', roles)}";
        }

        return scope + $";presets={(spec.Presets is { } p ? string.Join(',', p) : "all")}";
    }

    /// <summary>Roles are for app items (ids, or a library without a folder); null means the default, <c>cover</c>.</summary>
    private List<string>? CheckRoles(IReadOnlyList<string>? roles, string library, bool ids)
    {
        if (roles is not { Count: > 0 })
        {
            return null;
        }

        if (!ids && libraries.ContainsKey(library))
        {
            throw new JobRequestException("roles are for app items: give ids, or a library of registered items");
        }

        foreach (var role in roles)
        {
            if (!ItemIds.IsValidRole(role))
            {
                throw new JobRequestException($"role '{role}': 1–32 of a-z, 0-9, '-' and '_', starting with a letter or digit");
            }
        }

        var sorted = roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return sorted is [WarmItemsRun.DefaultRole] ? null : sorted;
    }

    private List<string>? CheckPresets(IReadOnlyList<string>? names)
    {
        if (names is not { Count: > 0 })
        {
            return null;
        }

        foreach (var name in names)
        {
            if (!catalog.TryGet(name, out _))
            {
                throw new JobRequestException($"unknown preset '{name}'; allowed: {string.Join(", ", catalog.All.Select(x => x.Name))}");
            }
        }

        return [.. names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static string Normalize(string id) =>
        ItemIds.TryNormalize(id, out var normalized, out var why) ? normalized : throw new JobRequestException($"id '{id}': {why}");

    private IEnumerable<string> Libraries() => libraries.Keys.Order(StringComparer.Ordinal);
}
