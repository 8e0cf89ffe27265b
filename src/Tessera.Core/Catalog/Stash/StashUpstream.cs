using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tessera.Core.Catalog.Stash;

/// <summary>Stash as an <see cref="IUpstream"/>: hand-written GraphQL over a plain <see cref="HttpClient"/>. Full pages
/// are sorted by id (Stash applies no order unless asked, and its name sorts never break ties by id; its ids are
/// integers and sort "id" is numeric). Scenes and galleries page as a keyset, <c>id GREATER_THAN</c> the last id seen,
/// always page 1, so a deletion during the listing shifts nothing; the other types' filters have no <c>id</c>
/// criterion, so they page by number (see <see cref="UpstreamCapabilities.KeysetPages"/>). Changes since an instant
/// use the type's <c>updated_at GREATER_THAN</c>, sorted by updated_at, paged by number: a keyset on (updated_at, id)
/// cannot be written in Stash's filters (no id criterion on most types, and timestamps compare as text at second
/// precision, where a scan stamps thousands of rows with one second), so the sync's overlap and its re-listing when
/// the total moves cover the shifts. Stash compares that criterion as text in
/// its own local offset at second precision, so the instant is sent in the offset Stash's own timestamps carry, one
/// second early ("at or after"); rows changed later within the same second need the caller's overlap.</summary>
public sealed class StashUpstream : IUpstream, IDisposable
{
    private readonly StashClient _client;
    private readonly StashMapper _mapper;
    private const long NoOffset = long.MinValue;
    private long _offsetTicks = NoOffset;

    public StashUpstream(HttpClient http, StashOptions options, TimeProvider? time = null, ILogger<StashUpstream>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _client = new StashClient(http, options, time ?? TimeProvider.System, logger ?? (ILogger)NullLogger.Instance);
        _mapper = new StashMapper(options.Url);
    }

    public UpstreamCapabilities Capabilities =>
        UpstreamCapabilities.SortedPages | UpstreamCapabilities.ChangedSince | UpstreamCapabilities.Counts | UpstreamCapabilities.Images
        | UpstreamCapabilities.KeysetPages;

    public bool PagesByKey(string type) => StashOperation.For(type).IdCriterion;

    public async Task<long> CountAsync(string type, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var operation = StashOperation.For(type);
        var value = await SinceValueAsync(operation, since, cancellationToken).ConfigureAwait(false);
        return await _client.QueryAsync(operation.Many, operation.ManyQuery(countOnly: true),
            w => WriteVariables(w, page: 1, perPage: 0, sort: "id", value, afterId: null),
            static data => data.GetProperty("count").GetInt64(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<UpstreamPage> PageAsync(string type, string? after, int perPage, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perPage, 1);
        var operation = StashOperation.For(type);
        if (since is null && operation.IdCriterion)
        {
            // Cursor "lastId:rowsBefore": the page's count is of the rows after lastId, so the listing's total is rowsBefore + count.
            var (afterId, before) = after is null ? (null, 0L) : KeysetCursor.Parse(after);
            var keyset = await ListAsync(operation, 1, perPage, "id", "ASC", null, afterId, cancellationToken).ConfigureAwait(false);
            var seen = before + keyset.Items.Count;
            return keyset with
            {
                Total = before + keyset.Total,
                Next = keyset.Items.Count < perPage ? null : KeysetCursor.Format(keyset.Items[^1].Id, seen),
            };
        }

        var page = after is null ? 1 : int.Parse(after, NumberStyles.None, CultureInfo.InvariantCulture);
        var value = await SinceValueAsync(operation, since, cancellationToken).ConfigureAwait(false);
        var listed = await ListAsync(operation, page, perPage, since is null ? "id" : "updated_at", "ASC", value, null, cancellationToken).ConfigureAwait(false);
        return listed with { Next = listed.Items.Count < perPage ? null : (page + 1).ToString(CultureInfo.InvariantCulture) };
    }

    public async Task<CatalogEntity?> GetAsync(string type, string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var operation = StashOperation.For(type);
        return await _client.QueryAsync(operation.One, operation.OneQuery, w => w.WriteString("id", id),
            data => data.ValueKind == JsonValueKind.Null ? null : Map(type, data), cancellationToken).ConfigureAwait(false);
    }

    public void Authorize(HttpRequestMessage request) => _client.Authorize(request);

    public void Dispose() => _client.Dispose();

    private Task<UpstreamPage> ListAsync(StashOperation operation, int page, int perPage, string sort, string direction, string? since, long? afterId,
        CancellationToken cancellationToken) =>
        _client.QueryAsync(operation.Many, operation.ManyQuery(countOnly: false),
            w => WriteVariables(w, page, perPage, sort, since, afterId, direction),
            data =>
            {
                var items = new List<CatalogEntity>(perPage);
                foreach (var element in data.GetProperty(operation.List).EnumerateArray())
                {
                    items.Add(Map(operation.Type, element));
                }

                return new UpstreamPage(items, data.GetProperty("count").GetInt64(), null);
            },
            cancellationToken);

    private CatalogEntity Map(string type, JsonElement element)
    {
        var entity = _mapper.Map(type, element);
        if (DateTimeOffset.TryParse(entity.UpdatedAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            Volatile.Write(ref _offsetTicks, local.Offset.Ticks);
        }

        return entity;
    }

    /// <summary>The <c>updated_at</c> criterion's text for "at or after <paramref name="since"/>", in Stash's own offset
    /// (learnt from its timestamps; asked for once, from the newest entity, when nothing was read yet).</summary>
    private async Task<string?> SinceValueAsync(StashOperation operation, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        if (since is not { } instant)
        {
            return null;
        }

        if (Volatile.Read(ref _offsetTicks) == NoOffset)
        {
            await ListAsync(operation, 1, 1, "updated_at", "DESC", null, null, cancellationToken).ConfigureAwait(false);
        }

        var second = instant.AddTicks(-(instant.UtcTicks % TimeSpan.TicksPerSecond)).AddSeconds(-1);
        var offset = Volatile.Read(ref _offsetTicks);
        return StashTime.Format(second.ToOffset(offset == NoOffset ? TimeSpan.Zero : TimeSpan.FromTicks(offset)));
    }

    private static void WriteVariables(Utf8JsonWriter w, int page, int perPage, string sort, string? since, long? afterId, string direction = "ASC")
    {
        w.WriteStartObject("filter");
        w.WriteNumber("page", page);
        w.WriteNumber("per_page", perPage);
        w.WriteString("sort", sort);
        w.WriteString("direction", direction);
        w.WriteEndObject();
        if (since is null && afterId is null)
        {
            w.WriteNull("where");
            return;
        }

        w.WriteStartObject("where");
        if (since is not null)
        {
            w.WriteStartObject("updated_at");
            w.WriteString("value", since);
            w.WriteString("modifier", "GREATER_THAN");
            w.WriteEndObject();
        }

        if (afterId is { } id)
        {
            w.WriteStartObject("id");
            w.WriteNumber("value", id);
            w.WriteString("modifier", "GREATER_THAN");
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}
