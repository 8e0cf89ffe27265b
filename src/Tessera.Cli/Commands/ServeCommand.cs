using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Tessera.Server;

namespace Tessera.Cli.Commands;

/// <summary>tessera serve --data DIR --library NAME=PATH [--library ...] [--urls URL] [--max-cache-size SIZE]</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var presets = CommonOptions.Presets();
        var libraries = new Option<string[]>("--library")
        {
            Description = "A folder library as NAME=PATH; served at /t/NAME/PRESET/RELATIVE/PATH. Repeatable.",
        };
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, e.g. http://0.0.0.0:8080 (default http://127.0.0.1:8080).",
            DefaultValueFactory = _ => "http://127.0.0.1:8080",
        };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = "The key admin endpoints (clear, purge) require; default: the TESSERA_API_KEY environment variable. Without one they are disabled.",
        };
        var maxCacheSize = CommonOptions.MaxCacheSize();
        var providers = SourceOptions.Providers();
        var signingKeys = SourceOptions.SigningKeys();
        var sidecars = SourceOptions.Sidecars();
        var allowHosts = SourceOptions.AllowHosts();
        var allowNetworks = SourceOptions.AllowNetworks();
        var command = new Command("serve", "Serve thumbnails of folder libraries, app items and signed remote images over HTTP.")
        {
            data, libraries, presets, urls, apiKey, maxCacheSize, providers, signingKeys, sidecars, allowHosts, allowNetworks,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = CommonOptions.Build(parse.GetRequiredValue(data), parse.GetValue(presets), parse.GetValue(libraries), parse.GetValue(maxCacheSize));
            options.AdminApiKey = parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("TESSERA_API_KEY");
            SourceOptions.Apply(options, parse.GetValue(providers), parse.GetValue(signingKeys), parse.GetValue(sidecars),
                parse.GetValue(allowHosts), parse.GetValue(allowNetworks));
            if (options.Libraries.Count == 0 && options.Providers.Count == 0 && options.SigningKeys.Count == 0)
            {
                throw new ArgumentException("nothing to serve: give at least one --library, --provider or --signing-key");
            }

            await using var app = TesseraServer.Build(options, parse.GetRequiredValue(urls).Split(';', StringSplitOptions.RemoveEmptyEntries));
            await app.StartAsync(ct);
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}
