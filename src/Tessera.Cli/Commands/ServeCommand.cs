using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Cli.Settings;
using Tessera.Server;

namespace Tessera.Cli.Commands;

/// <summary>tessera serve [--config FILE] --data DIR --library NAME=PATH [--library ...] [--urls URL] [--max-cache-size SIZE] …</summary>
internal static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public static Command Create()
    {
        var flags = new SettingFlags();
        flags.Pairs(new Option<string[]>("--library")
        {
            Description = "A folder library as NAME=PATH; served at /t/NAME/PRESET/RELATIVE/PATH. Repeatable. Setting: Libraries:NAME.",
        }, "Libraries", "NAME=PATH");
        CommonOptions.Presets(flags);
        flags.Value(new Option<string?>("--urls") { Description = $"Where to listen, e.g. http://0.0.0.0:8080 (default {DefaultUrls}). Setting: Urls." }, "Urls");
        flags.Value(new Option<string?>("--api-key")
        {
            Description = "The key admin endpoints (clear, purge) require; without one they are disabled. Setting: Admin:ApiKey (also TESSERA_API_KEY).",
        }, "Admin:ApiKey");
        CommonOptions.MaxCacheSize(flags);
        flags.Value(new Option<string?>("--store")
        {
            Description = "Where renditions live: disk (the data folder, default) or s3:ENDPOINT-URL/BUCKET, e.g. s3:http://127.0.0.1:9000/tessera " +
                          "(path-style; credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or Store:AccessKeyId/SecretAccessKey), with the data folder " +
                          "as a local first tier. Setting: Store:Location.",
        }, "Store:Location");
        flags.Value(new Option<string?>("--index")
        {
            Description = "The index: sqlite (default: tessera.db in the data folder) or postgres:CONNECTION-STRING, a PostgreSQL index shared by " +
                          "replicas, e.g. postgres:Host=db;Database=tessera;Username=tessera;Password=SECRET. Setting: Index.",
        }, "Index");
        flags.Providers(new Option<string[]>("--provider")
        {
            Description = "A provider URL template for /i/ items of a library: NAME=URL with {id} and {role}, e.g. " +
                          "books=https://covers.openlibrary.org/b/isbn/{id}-L.jpg. NAME alone makes an items-only library. Repeatable. Setting: Providers:NAME.",
        });
        flags.ProviderHeaders(new Option<string[]>("--provider-header")
        {
            Description = "A request header for a provider's fetches, e.g. stash=ApiKey:SECRET or books=Authorization:Bearer SECRET: sent only to the " +
                          "origins of NAME's templates, never logged or shown. Repeatable. Setting: ProviderHeaders:NAME:HEADER.",
        });
        flags.List(new Option<string[]>("--signing-key")
        {
            Description = "A key (16+ bytes) for signed /r/ URLs; the first signs, all verify. Repeatable. Setting: SigningKeys (also TESSERA_SIGNING_KEYS, comma-separated).",
        }, "SigningKeys");
        AccessFlags.Add(flags);
        CommonOptions.Sidecars(flags);
        flags.List(new Option<string[]>("--allow-host")
        {
            Description = "Only fetch provider images from these hosts: example.com exactly, *.example.com any subdomain. Repeatable. Setting: Remote:AllowedHosts.",
        }, "Remote:AllowedHosts");
        flags.List(new Option<string[]>("--allow-network")
        {
            Description = "Let provider fetches reach this private network (CIDR, e.g. 192.168.1.0/24 for a LAN provider); loopback, private, " +
                          "link-local and metadata addresses are refused otherwise. Repeatable. Setting: Remote:AllowedNetworks.",
        }, "Remote:AllowedNetworks");
        flags.Value(new Option<string?>("--warm-at-start")
        {
            Description = "Warm each folder library this long after start (default 1m), or off. Setting: Jobs:WarmAtStart.",
        }, "Jobs:WarmAtStart");
        flags.Value(new Option<string?>("--warm-every")
        {
            Description = "Warm each folder library again this often (default 12h), or off. Setting: Jobs:WarmEvery.",
        }, "Jobs:WarmEvery");
        flags.Value(new Option<string?>("--log-format")
        {
            Description = "auto (systemd's <N> prefixes under journald, else one line per event), simple, systemd or json. Setting: Logging:Format.",
        }, "Logging:Format");
        var accessLog = new Option<bool>("--access-log") { Description = "Log one line per request (method, path, status, bytes, ms, hit/miss, user agent). Setting: Logging:AccessLog." };
        flags.Custom(accessLog, (parse, into) =>
        {
            if (parse.GetValue(accessLog))
            {
                into["Logging:AccessLog"] = "true";
            }
        });
        CatalogFlags.AddTo(flags);
        var command = new Command("serve", "Serve thumbnails of folder libraries, app items and signed remote images over HTTP.");
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            Tessera.Index.Sqlite.SqliteLibrary.BindNow(); // before libvips takes the loader's lock (see there)
            Tessera.Core.Engine.EngineStart.InBackground(); // the first request finds libvips loaded
            var (configuration, options) = CommonOptions.Read(flags, parse);
            if (options.Libraries.Count == 0 && options.Providers.Count == 0 && options.SigningKeys.Count == 0 && options.Catalogs.Count == 0)
            {
                throw new ArgumentException("nothing to serve: give at least one --library, --provider, --signing-key or --catalog (or Libraries, Providers, SigningKeys or Catalogs in the settings file)");
            }

            var urls = (configuration["Urls"] ?? DefaultUrls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            // The host's own "failed to start" log would repeat the error with a stack trace; the CLI prints one line.
            await using var app = TesseraServer.Build(options, configuration, urls, l => l.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical));
            try
            {
                await app.StartAsync(ct);
            }
            catch (Exception e) when (!ReferenceEquals(DataFolderProblem.Explain(e, options.DataPath), e))
            {
                throw DataFolderProblem.Explain(e, options.DataPath);
            }

            await app.WaitForShutdownAsync(ct);
            if (FatalStop.Of(app.Services) is { } fatal)
            {
                // Never exit 0 on a failure: a supervisor (systemd Restart=on-failure) must see it.
                await Terminal.Of(parse).Error.WriteLineAsync($"tessera: stopped by a fatal error: {fatal.GetType().Name}: {fatal.Message}");
                return 1;
            }

            return 0;
        });
        return command;
    }
}
