using System.CommandLine;
using Spectre.Console;

namespace Tessera.Cli.Commands;

/// <summary>Where a command writes: the invocation's output and error writers (the console, or a test's buffers when
/// the CLI runs in-process), and a Spectre console on the output. Live displays only on an interactive console.</summary>
internal sealed class Terminal
{
    private Terminal(TextWriter output, TextWriter error)
    {
        Out = output;
        Error = error;
        var console = ReferenceEquals(output, Console.Out);
        Interactive = console && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        // Piped or redirected output gets no escape codes at all (`tessera status | cat`), whatever TERM says.
        Ansi = console && !Console.IsOutputRedirected
            ? AnsiConsole.Console
            : AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public IAnsiConsole Ansi { get; }

    /// <summary>A terminal a person watches: progress bars and live tables instead of plain lines.</summary>
    public bool Interactive { get; }

    public static Terminal Of(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var invocation = parse.InvocationConfiguration;
        return new Terminal(invocation.Output ?? Console.Out, invocation.Error ?? Console.Error);
    }
}
