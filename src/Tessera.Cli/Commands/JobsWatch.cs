using System.CommandLine;
using Spectre.Console;
using Tessera.Server.Jobs;

namespace Tessera.Cli.Commands;

/// <summary>tessera jobs watch ID: the job's progress from the server's events stream until it finishes — a live bar
/// on a terminal, plain lines (at most one every 2 s, and every status or phase change) otherwise. Exit 0 when it
/// completed, 1 when it failed or was cancelled, or the stream ended first.</summary>
internal static class JobsWatch
{
    public static Command Create()
    {
        var server = new ServerConnection();
        var id = JobsCommand.IdArgument();
        var command = new Command("watch", "Follow a job's progress until it finishes.") { id };
        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, async (client, terminal) =>
        {
            var events = client.WatchAsync(parse.GetValue(id), ct);
            var last = terminal.Interactive ? await BarAsync(terminal, events) : await PlainAsync(terminal, events);
            if (last is not { IsFinished: true })
            {
                await terminal.Error.WriteLineAsync("tessera: the server ended the event stream before the job finished");
                return 1;
            }

            terminal.Out.WriteLine($"job {last.Id} {last.Status}: {JobsCommand.Progress(last)}{(last.Error is { } e ? $" ({e})" : "")}");
            return last.Status == "completed" ? 0 : 1;
        }));
        return command;
    }

    internal static async Task<JobDocument?> PlainAsync(Terminal terminal, IAsyncEnumerable<JobDocument> events)
    {
        JobDocument? last = null;
        var printed = DateTime.MinValue;
        await foreach (var job in events)
        {
            var changed = last is null || last.Status != job.Status || last.Phase != job.Phase;
            last = job;
            if (job.IsFinished)
            {
                break;
            }

            if (changed || DateTime.UtcNow - printed >= TimeSpan.FromSeconds(2))
            {
                printed = DateTime.UtcNow;
                terminal.Out.WriteLine($"job {job.Id} {job.Status} {job.Phase}: {JobsCommand.Progress(job)}");
            }
        }

        return last;
    }

    internal static async Task<JobDocument?> BarAsync(Terminal terminal, IAsyncEnumerable<JobDocument> events)
    {
        JobDocument? last = null;
        await terminal.Ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("waiting", maxValue: 1);
                await foreach (var job in events)
                {
                    last = job;
                    task.MaxValue = Math.Max(1, job.Total);
                    task.Value = job.Done;
                    task.Description = Markup.Escape($"job {job.Id} {job.Kind} {job.Status} {job.Phase}: {JobsCommand.Progress(job)}");
                    if (job.IsFinished)
                    {
                        break;
                    }
                }
            });
        return last;
    }
}
