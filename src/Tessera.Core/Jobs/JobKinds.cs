namespace Tessera.Core.Jobs;

/// <summary>The job kinds this process knows, by name.</summary>
public sealed class JobKinds(IEnumerable<IJobKind> kinds)
{
    private readonly Dictionary<string, IJobKind> _kinds = kinds.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public IEnumerable<string> Names => _kinds.Keys.Order(StringComparer.Ordinal);

    public IJobKind Get(string name) => _kinds.TryGetValue(name, out var kind)
        ? kind
        : throw new JobRequestException($"unknown job kind '{name}'; known: {string.Join(", ", Names)}");
}
