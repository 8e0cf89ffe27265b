using System.CommandLine;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;

namespace Tessera.Cli.Commands;

/// <summary>tessera render-worker [PATH] --width W --height H --format F --quality Q [--effort E] --max-pixels N [--icc]:
/// hidden; the server starts it to render one PDF page (PATH) or a sanitised SVG (stdin) in a process a decode timeout
/// can kill (see <see cref="RenderWorker"/>). Writes the encoded thumbnail to stdout, one line to stderr on failure.</summary>
internal static class RenderWorkerCommand
{
    public static Command Create()
    {
        var path = new Argument<string?>("path") { Arity = ArgumentArity.ZeroOrOne };
        var width = new Option<int>("--width") { Required = true };
        var height = new Option<int>("--height") { Required = true };
        var format = new Option<OutputFormat>("--format") { Required = true };
        var quality = new Option<int>("--quality") { Required = true };
        var effort = new Option<int?>("--effort");
        var maxPixels = new Option<long>("--max-pixels") { Required = true };
        var icc = new Option<bool>("--icc");
        var command = new Command("render-worker", "Internal: render one page for the server.")
        {
            path, width, height, format, quality, effort, maxPixels, icc,
        };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var job = new RenderJob(parse.GetValue(path), parse.GetValue(width), parse.GetValue(height), parse.GetValue(icc),
                parse.GetValue(format), parse.GetValue(quality), parse.GetValue(effort), parse.GetValue(maxPixels));
            using var input = Console.OpenStandardInput();
            using var output = Console.OpenStandardOutput();
            return RenderWorkerMain.Run(job, input, output, parse.InvocationConfiguration.Error);
        });
        return command;
    }
}
