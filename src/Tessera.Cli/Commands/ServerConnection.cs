using System.CommandLine;
using Tessera.Cli.Settings;

namespace Tessera.Cli.Commands;

/// <summary>How a command reaches a running server: --server URL (default: the first of the configured Urls, else
/// http://127.0.0.1:8080) and the admin key (--api-key, Admin:ApiKey in the settings file, TESSERA__Admin__ApiKey or
/// TESSERA_API_KEY), read in the same layers as serve reads them, so a command run beside the server needs neither.</summary>
internal sealed class ServerConnection
{
    private readonly SettingFlags _flags = new();
    private readonly Option<string?> _server = new("--server")
    {
        Description = "The server's base URL, e.g. http://127.0.0.1:8080 (default: the first of the configured Urls, else " + ServeCommand.DefaultUrls + ").",
    };

    public ServerConnection() =>
        _flags.Value(new Option<string?>("--api-key") { Description = "The server's admin key. Setting: Admin:ApiKey (also TESSERA_API_KEY)." }, "Admin:ApiKey");

    public void AddTo(Command command)
    {
        _flags.AddTo(command);
        command.Options.Add(_server);
    }

    /// <summary>Runs <paramref name="action"/> with a client; an answer that is not a success prints the server's reason
    /// and exits 1.</summary>
    public async Task<int> RunAsync(ParseResult parse, Func<JobsClient, Terminal, Task<int>> action)
    {
        var terminal = Terminal.Of(parse);
        var configuration = _flags.Build(parse);
        using var client = new JobsClient(BaseAddress(parse.GetValue(_server) ?? configuration["Urls"]), configuration["Admin:ApiKey"]);
        try
        {
            return await action(client, terminal);
        }
        catch (JobsApiException e)
        {
            await terminal.Error.WriteLineAsync($"tessera: {e.Message}");
            return 1;
        }
    }

    /// <summary>The address to call for a listen address: a wildcard host (0.0.0.0, [::], *, +) is reached on loopback.</summary>
    internal static Uri BaseAddress(string? urls)
    {
        var first = (urls ?? ServeCommand.DefaultUrls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
                    ?? ServeCommand.DefaultUrls;
        foreach (var wildcard in new[] { "://0.0.0.0", "://[::]", "://*", "://+" })
        {
            first = first.Replace(wildcard, "://127.0.0.1", StringComparison.Ordinal);
        }

        return Uri.TryCreate(first, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException($"--server: '{first}' is not an http(s) URL");
    }
}
