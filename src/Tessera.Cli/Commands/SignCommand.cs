using System.CommandLine;
using Tessera.Cli.Settings;
using Tessera.Core.Configuration;
using Tessera.Core.Signing;

namespace Tessera.Cli.Commands;

/// <summary>tessera sign URL --preset grid [--signing-key KEY] [--base http://host:port]: prints a signed /r/ path.
/// tessera sign /t/LIB/PRESET/PATH (or /i/…, /c/…) [--expires 1h]: prints the path of a signed library with its expiring signature.</summary>
internal static class SignCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "The remote image's http(s) URL, or a route path of a signed library: /t/LIB/PRESET/PATH, /i/LIB/ID/ROLE." };
        var preset = new Option<string>("--preset") { Description = "The preset the signed /r/ URL serves (required for a remote URL)." };
        var expires = new Option<string>("--expires") { Description = "How long a signed route path stays valid (default 1h), e.g. 30m, 7d.", DefaultValueFactory = _ => "1h" };
        var flags = new SettingFlags();
        flags.List(new Option<string[]>("--signing-key")
        {
            Description = "A key (16+ bytes); the first signs. Repeatable. Setting: SigningKeys (also TESSERA_SIGNING_KEYS, comma-separated).",
        }, "SigningKeys");
        var baseUrl = new Option<string?>("--base") { Description = "Print a full URL on this server, e.g. http://127.0.0.1:8080." };
        var command = new Command("sign", "Print a signed /r/ URL for a remote image, or a signed path of a signed library.") { url, preset, expires, baseUrl };
        flags.AddTo(command);
        command.SetAction(parse =>
        {
            var terminal = Terminal.Of(parse);
            var source = parse.GetRequiredValue(url);
            if (source.StartsWith('/'))
            {
                var pathSigner = new UrlSigner(TesseraConfiguration.Read(flags.Build(parse)).SigningKeys);
                var route = RoutePath.Check(source);
                var lifetime = Duration.Parse(parse.GetRequiredValue(expires));
                var signature = pathSigner.Enabled ? pathSigner.SignPath(route, DateTimeOffset.UtcNow + lifetime)
                    : throw new ArgumentException("no signing key: pass --signing-key, set TESSERA_SIGNING_KEYS, or list SigningKeys in the settings file");
                terminal.Out.WriteLine((parse.GetValue(baseUrl)?.TrimEnd('/') ?? string.Empty) + RoutePath.Escape(route) + "?" + signature);
                return 0;
            }

            if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"'{source}' is not an absolute http(s) URL");
            }

            var presetName = parse.GetValue(preset) ?? throw new ArgumentException("--preset is required to sign a remote URL");
            if (presetName.Length == 0 || !presetName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw new ArgumentException($"'{presetName}' is not a preset name");
            }

            var signer = new UrlSigner(TesseraConfiguration.Read(flags.Build(parse)).SigningKeys);
            if (!signer.Enabled)
            {
                throw new ArgumentException("no signing key: pass --signing-key, set TESSERA_SIGNING_KEYS, or list SigningKeys in the settings file");
            }

            var path = signer.Sign(presetName, uri.AbsoluteUri);
            terminal.Out.WriteLine((parse.GetValue(baseUrl)?.TrimEnd('/') ?? string.Empty) + path);
            return 0;
        });
        return command;
    }
}
