using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tessera.Cli.Settings;
using Tessera.Server.Jobs;

namespace Tessera.Cli.Commands;

/// <summary>tessera jobs [list|show ID|pause ID|resume ID|cancel ID|watch ID] against a running server: the jobs API
/// with the admin key. Without a subcommand it lists.</summary>
internal static class JobsCommand
{
    public static Command Create()
    {
        var list = List();
        var command = new Command("jobs", "List, show, pause, resume, cancel or watch the background jobs of a running server.")
        {
            list, Show(), Control("pause", "Pause a job (it stays paused across restarts)."), Control("resume", "Resume a paused job."),
            Control("cancel", "Cancel a job; its running units stop too."), JobsWatch.Create(),
        };
        var server = new ServerConnection();
        server.AddTo(command);
        var listing = ListOptions.AddTo(command);
        command.SetAction((parse, ct) => ListAsync(parse, server, listing, ct));
        return command;
    }

    private static Command List()
    {
        var server = new ServerConnection();
        var command = new Command("list", "Jobs, newest first.");
        server.AddTo(command);
        var listing = ListOptions.AddTo(command);
        command.SetAction((parse, ct) => ListAsync(parse, server, listing, ct));
        return command;
    }

    private static Command Show()
    {
        var server = new ServerConnection();
        var id = IdArgument();
        var json = JsonOption();
        var command = new Command("show", "One job: status, phase, progress, rate, ETA, times.") { id, json };
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, async (client, terminal) =>
        {
            var job = await client.GetAsync(parse.GetValue(id), ct);
            if (parse.GetValue(json))
            {
                terminal.Out.WriteLine(JsonSerializer.Serialize(job, JobApiJson.Default.JobDocument));
                return 0;
            }

            foreach (var (name, value) in Describe(job))
            {
                terminal.Out.WriteLine($"{name,-10} {value}");
            }

            return 0;
        }));
        return command;
    }

    private static Command Control(string verb, string description)
    {
        var server = new ServerConnection();
        var id = IdArgument();
        var command = new Command(verb, description) { id };
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, async (client, terminal) =>
        {
            var job = await client.ControlAsync(parse.GetValue(id), verb, ct);
            terminal.Out.WriteLine($"job {job.Id} {job.Status}");
            return 0;
        }));
        return command;
    }

    private static Task<int> ListAsync(ParseResult parse, ServerConnection server, ListOptions listing, CancellationToken ct) =>
        server.RunAsync(parse, async (client, terminal) =>
        {
            var page = await client.ListAsync(listing.Query(parse), ct);
            if (parse.GetValue(listing.Json))
            {
                terminal.Out.WriteLine(JsonSerializer.Serialize(page, JobApiJson.Default.JobPage));
                return 0;
            }

            terminal.Out.WriteLine($"{"ID",6}  {"KIND",-8} {"STATUS",-10} {"PHASE",-10} {"TRIGGER",-8} {"DONE/TOTAL",-15} {"FAILED",6}  SCOPE");
            foreach (var j in page.Jobs)
            {
                terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{j.Id,6}  {j.Kind,-8} {j.Status,-10} {j.Phase,-10} {j.Trigger,-8} {$"{j.Done}/{j.Total}",-15} {j.Failed,6}  {j.Scope}"));
            }

            terminal.Out.WriteLine($"{page.Jobs.Count} jobs{(page.Next is { } next ? $" (more: --before {next})" : "")}");
            return 0;
        });

    internal static IEnumerable<(string Name, string Value)> Describe(JobDocument j)
    {
        yield return ("id", j.Id.ToString(CultureInfo.InvariantCulture));
        yield return ("kind", j.Kind);
        yield return ("scope", j.Library is { } library ? $"{j.Scope} (library {library})" : j.Scope);
        yield return ("status", j.Error is { } error ? $"{j.Status}: {error}" : j.Status);
        yield return ("phase", j.Phase);
        yield return ("trigger", j.Trigger);
        yield return ("priority", j.Priority.ToString(CultureInfo.InvariantCulture));
        yield return ("progress", Progress(j));
        yield return ("bytes", j.Bytes.ToString(CultureInfo.InvariantCulture));
        yield return ("created", Time(j.CreatedAt));
        yield return ("started", Time(j.StartedAt));
        yield return ("updated", Time(j.UpdatedAt));
        yield return ("finished", Time(j.FinishedAt));
    }

    /// <summary>One line of progress, as show and watch print it.</summary>
    internal static string Progress(JobDocument j) => string.Create(CultureInfo.InvariantCulture,
        $"{j.Done}/{j.Total} ({(j.Total == 0 ? 0 : 100.0 * j.Done / j.Total):0}%) {j.Rate:0.0}/s ETA {(j.Eta is { } e ? $"{e:0}s" : "–")} completed {j.Completed} skipped {j.Skipped} failed {j.Failed}");

    private static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "–";

    internal static Argument<long> IdArgument() => new("ID") { Description = "The job's id." };

    internal static Option<bool> JsonOption() => new("--json") { Description = "Print the API's JSON." };

    /// <summary>list's filters and paging.</summary>
    private sealed record ListOptions(Option<string?> Status, Option<string?> Kind, Option<long?> Before, Option<int?> Limit, Option<bool> Json)
    {
        public static ListOptions AddTo(Command command)
        {
            var o = new ListOptions(
                new Option<string?>("--status") { Description = "Only jobs of this status: queued, running, paused, completed, failed or cancelled." },
                new Option<string?>("--kind") { Description = "Only jobs of this kind: warm, preload or cleanup." },
                new Option<long?>("--before") { Description = "Only jobs with an id below this (the next page)." },
                new Option<int?>("--limit") { Description = "Most jobs to list (default 50, at most 1000)." },
                JsonOption());
            command.Options.Add(o.Status);
            command.Options.Add(o.Kind);
            command.Options.Add(o.Before);
            command.Options.Add(o.Limit);
            command.Options.Add(o.Json);
            return o;
        }

        public string Query(ParseResult parse)
        {
            var parts = new List<string>();
            Add("status", parse.GetValue(Status));
            Add("kind", parse.GetValue(Kind));
            Add("before", parse.GetValue(Before)?.ToString(CultureInfo.InvariantCulture));
            Add("limit", parse.GetValue(Limit)?.ToString(CultureInfo.InvariantCulture));
            return parts.Count == 0 ? "" : "?" + string.Join('&', parts);

            void Add(string name, string? value)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    parts.Add($"{name}={Uri.EscapeDataString(value)}");
                }
            }
        }
    }
}
