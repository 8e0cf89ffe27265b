using System.CommandLine;
using Tessera.Core.Configuration;

namespace Tessera.Cli.Settings;

/// <summary>--access NAME=public|signed|forward (Libraries:NAME:Access, for a folder library, a provider library or a
/// catalog), --auth-url URL (Access:AuthUrl), --auth-cache 30s (Access:AuthCache).</summary>
internal static class AccessFlags
{
    public static void Add(SettingFlags flags)
    {
        var access = new Option<string[]>("--access")
        {
            Description = "Who may see a library's or catalog's images: NAME=public (default), NAME=signed (expiring signed URLs, see `tessera sign`) or " +
                          "NAME=forward (the app's --auth-url decides). Repeatable. Setting: Libraries:NAME:Access.",
        };
        flags.Custom(access, (parse, into) =>
        {
            foreach (var spec in parse.GetValue(access) ?? [])
            {
                var eq = spec.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || eq == spec.Length - 1)
                {
                    throw new TesseraConfigurationException(access.Name, $"'{spec}': expected NAME=public|signed|forward");
                }

                into[$"Libraries:{spec[..eq]}:Access"] = spec[(eq + 1)..];
            }
        });
        flags.Value(new Option<string?>("--auth-url")
        {
            Description = "For forward access: the app's URL Tessera asks with each request's Cookie and Authorization (2xx allows, 401/403 deny). Setting: Access:AuthUrl.",
        }, "Access:AuthUrl");
        flags.Value(new Option<string?>("--auth-cache")
        {
            Description = "How long a forward decision is reused for the same credentials (default 30s; 0 asks every time). Setting: Access:AuthCache.",
        }, "Access:AuthCache");
    }
}
