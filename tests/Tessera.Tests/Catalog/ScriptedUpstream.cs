using System.Collections.Concurrent;
using Tessera.Core.Catalog;

namespace Tessera.Tests.Catalog;

/// <summary>An upstream in memory whose faults a test scripts where the Stash stand-in cannot (it answers as Stash does):
/// a type that fails for a whole job, counts that lie, a listing that comes back empty; and a fake clock without HTTP.
/// Pages are by id ascending, or by updated_at then id from an instant (at or after, at second precision).</summary>
internal sealed class ScriptedUpstream : IUpstream
{
    private readonly ConcurrentDictionary<string, SortedDictionary<int, CatalogEntity>> _types = new();

    public UpstreamCapabilities Capabilities => UpstreamCapabilities.SortedPages | UpstreamCapabilities.ChangedSince | UpstreamCapabilities.Counts;

    public ConcurrentDictionary<string, int> PageRequests { get; } = new();

    public ConcurrentDictionary<string, int> CountRequests { get; } = new();

    /// <summary>Pages of this type from this number on fail (unreachable mid-listing).</summary>
    public (string Type, int Page)? FailFrom { get; set; }

    /// <summary>Every listing of this type is empty (while counts tell the truth).</summary>
    public string? EmptyListing { get; set; }

    /// <summary>Added to the total count of this type (counts disagree with the listing).</summary>
    public (string Type, long Delta)? CountSkew { get; set; }

    public static CatalogEntity Entity(string type, int id, DateTimeOffset updated, string? title = null, string image = "a") =>
        new(type, id.ToString(System.Globalization.CultureInfo.InvariantCulture), title ?? $"{type} {id}", null, null, null, null, null, null,
            updated.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture), updated, updated, [],
            [new CatalogImage("image", $"http://upstream.invalid/{type}/{id}/{image}")], "{}");

    public void Put(CatalogEntity entity)
    {
        var rows = _types.GetOrAdd(entity.Type, _ => []);
        lock (rows)
        {
            rows[int.Parse(entity.Id, System.Globalization.CultureInfo.InvariantCulture)] = entity;
        }
    }

    public void Remove(string type, int id)
    {
        var rows = _types.GetOrAdd(type, _ => []);
        lock (rows)
        {
            rows.Remove(id);
        }
    }

    public Task<long> CountAsync(string type, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        CountRequests.AddOrUpdate(type, 1, (_, n) => n + 1);
        var count = (long)Rows(type, since).Count;
        if (since is null && CountSkew is { } skew && skew.Type == type)
        {
            count += skew.Delta;
        }

        return Task.FromResult(count);
    }

    public bool PagesByKey(string type) => false;

    public Task<UpstreamPage> PageAsync(string type, string? after, int perPage, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var page = after is null ? 1 : int.Parse(after, System.Globalization.CultureInfo.InvariantCulture);
        PageRequests.AddOrUpdate(type, 1, (_, n) => n + 1);
        if (FailFrom is { } fail && fail.Type == type && page >= fail.Page)
        {
            throw new UpstreamException("connection refused", transient: true);
        }

        var rows = Rows(type, since);
        var items = EmptyListing == type ? [] : rows.Skip((page - 1) * perPage).Take(perPage).ToList();
        return Task.FromResult(new UpstreamPage(items, rows.Count,
            items.Count < perPage ? null : (page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public Task<CatalogEntity?> GetAsync(string type, string id, CancellationToken cancellationToken) =>
        Task.FromResult(Rows(type, null).FirstOrDefault(e => e.Id == id));

    public void Authorize(HttpRequestMessage request)
    {
    }

    private List<CatalogEntity> Rows(string type, DateTimeOffset? since)
    {
        var rows = _types.GetOrAdd(type, _ => []);
        lock (rows)
        {
            if (since is null)
            {
                return [.. rows.Values];
            }

            // Second precision, at or after: what Stash's text comparison, one second early, amounts to.
            var floor = new DateTimeOffset(since.Value.UtcTicks - since.Value.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
            return [.. rows.Values.Where(e => e.UpdatedAtUtc >= floor).OrderBy(e => e.UpdatedAtUtc).ThenBy(e => int.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture))];
        }
    }
}
