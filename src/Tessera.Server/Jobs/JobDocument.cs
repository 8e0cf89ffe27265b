using System.Text.Json;
using System.Text.Json.Serialization;
using Tessera.Core.Jobs;
using Tessera.Core.Redaction;

namespace Tessera.Server.Jobs;

/// <summary>A job as GET /api/jobs/{id}, the events stream and <c>tessera jobs</c> show it. Rate is tasks per second
/// over the recent past; Eta is seconds, null while unknown. <see cref="Existing"/> is set only on create: true when an
/// active job of the same kind and scope was returned instead of a new one.</summary>
public sealed record JobDocument(
    long Id,
    string Kind,
    string Status,
    string Phase,
    string Trigger,
    int Priority,
    long Total,
    long Done,
    long Completed,
    long Skipped,
    long Failed,
    long Bytes,
    double Rate,
    double? Eta,
    string? Library,
    string Scope,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    string? Error)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Existing { get; init; }

    [JsonIgnore]
    public bool IsFinished => JobNames.TryParse(Status, out JobStatus s) && !JobNames.IsActive(s);

    public static JobDocument From(JobView view, bool? existing = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var r = view.Record;
        return new JobDocument(r.Id, r.Kind, JobNames.ToText(r.Status), JobNames.ToText(r.Phase), JobNames.ToText(r.Trigger), r.Priority,
            r.Counts.Total, r.Counts.Done, r.Counts.Completed, r.Counts.Skipped, r.Counts.Failed, r.Counts.Bytes,
            Math.Round(view.Rate, 2), view.Eta is { } eta ? Math.Round(eta.TotalSeconds, 1) : null, LibraryOf(r.Spec), r.Scope,
            r.CreatedAt, r.StartedAt, r.UpdatedAt, r.FinishedAt, r.Error) { Existing = existing };
    }

    /// <summary>The spec is the kind's own JSON, opaque to the index; most kinds name a library in it.</summary>
    private static string? LibraryOf(string spec)
    {
        try
        {
            using var doc = JsonDocument.Parse(spec);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    if (p.NameEquals("library") || p.NameEquals("Library"))
                    {
                        return p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}

/// <summary>One task that failed within a job (GET /api/jobs/{id}/failures), provider URLs redacted.</summary>
public sealed record JobFailureDocument(string Item, string Preset, string Reason, string Detail, DateTimeOffset At)
{
    public static JobFailureDocument From(JobFailure f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new JobFailureDocument(Redactor.Text(f.Item), f.Preset, f.Reason, Redactor.Text(f.Detail), f.At);
    }
}

/// <summary>A page of GET /api/jobs: newest first; pass <see cref="Next"/> as <c>before</c> for the next page.</summary>
public sealed record JobPage(IReadOnlyList<JobDocument> Jobs, long? Next);
