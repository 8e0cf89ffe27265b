using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Tessera.Core.Configuration;
using Tessera.Tests.Support;

namespace Tessera.Tests.Install;

/// <summary>scripts/install into a throwaway root (DESTDIR), with a stand-in binary: files, modes, the unit, idempotence.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // file modes, bash, systemd
public sealed class InstallScriptTests
{
    private static readonly string[] Hardening =
    [
        "User=tessera", "StateDirectory=tessera", "ProtectSystem=strict", "ProtectHome=read-only", "NoNewPrivileges=yes", "PrivateTmp=yes",
        "PrivateDevices=yes", "ProtectKernelTunables=yes", "ProtectKernelModules=yes", "ProtectKernelLogs=yes", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
        "SystemCallFilter=@system-service", "LockPersonality=yes", "CapabilityBoundingSet=", "Restart=on-failure",
    ];

    [Fact]
    public async Task Install_IntoDestdir_PutsFilesInPlace_AndASecondRunKeepsTheConfig()
    {
        using var temp = new TempDir();
        var root = temp.Sub("root");
        var binary = Path.Combine(temp.Path, "tessera-v1");
        await File.WriteAllTextAsync(binary, "#!/bin/sh\necho v1\n");
        File.SetUnixFileMode(binary, (UnixFileMode)0b111_101_101);

        var (code, output) = await RunAsync(root, binary);
        Assert.True(code == 0, output);
        Assert.Contains("no service started", output, StringComparison.Ordinal);

        var bin = Path.Combine(root, "usr/local/bin/tessera");
        var config = Path.Combine(root, "etc/tessera/tessera.json");
        var unit = Path.Combine(root, "etc/systemd/system/tessera.service");
        Assert.Equal("755", Mode(bin));
        Assert.Equal("750", Mode(Path.GetDirectoryName(config)!));
        Assert.Equal("640", Mode(config));
        Assert.Equal("644", Mode(unit));
        Assert.Equal("#!/bin/sh\necho v1\n", await File.ReadAllTextAsync(bin));

        // The settings file is JSON with comments that Tessera itself reads, with a generated admin key.
        var key = AdminKey(config);
        Assert.True(key.Length >= 32, $"admin key '{key}'");
        var options = TesseraConfiguration.Read(new ConfigurationBuilder().AddJsonFile(config).Build());
        Assert.Equal("/var/lib/tessera", options.DataPath);
        Assert.Equal(key, options.AdminApiKey);
        Assert.Equal(LogFormat.Auto, options.Logging.Format);

        var text = await File.ReadAllTextAsync(unit);
        Assert.Contains("ExecStart=/usr/local/bin/tessera serve --config /etc/tessera/tessera.json", text, StringComparison.Ordinal);
        foreach (var line in Hardening)
        {
            Assert.Contains(line + "\n", text, StringComparison.Ordinal);
        }

        await VerifyUnitAsync(temp, text, bin);

        // A second run: a new binary, the same settings and key.
        var configBefore = await File.ReadAllBytesAsync(config);
        await File.WriteAllTextAsync(binary, "#!/bin/sh\necho v2\n");
        (code, output) = await RunAsync(root, binary);
        Assert.True(code == 0, output);
        Assert.Contains("keeping /etc/tessera/tessera.json", output, StringComparison.Ordinal);
        Assert.Equal(configBefore, await File.ReadAllBytesAsync(config));
        Assert.Equal("640", Mode(config));
        Assert.Equal("#!/bin/sh\necho v2\n", await File.ReadAllTextAsync(bin));
        Assert.Equal(text, await File.ReadAllTextAsync(unit));
    }

    [Fact]
    public async Task Install_HonoursPrefix()
    {
        using var temp = new TempDir();
        var root = temp.Sub("root");
        var binary = Path.Combine(temp.Path, "tessera");
        await File.WriteAllTextAsync(binary, "#!/bin/sh\n");
        File.SetUnixFileMode(binary, (UnixFileMode)0b111_101_101);
        var (code, output) = await RunAsync(root, binary, ("PREFIX", "/opt/tessera"));
        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(root, "opt/tessera/bin/tessera")));
        Assert.Contains("ExecStart=/opt/tessera/bin/tessera serve", await File.ReadAllTextAsync(Path.Combine(root, "etc/systemd/system/tessera.service")), StringComparison.Ordinal);
    }

    /// <summary>The real-root path (no DESTDIR) as far as it safely goes: --dry-run prints root's commands instead of
    /// running them (install-deps, the user, ownership, systemd) and writes the files into a temporary folder it names,
    /// so the machine's own /usr/local, /etc/tessera and units are left as they were.</summary>
    [Fact]
    public async Task Install_DryRun_ShowsTheRealRootInstall_AndChangesNothingOutsideItsFolder()
    {
        using var temp = new TempDir();
        var binary = Path.Combine(temp.Path, "tessera");
        await File.WriteAllTextAsync(binary, "#!/bin/sh\necho dry\n");
        File.SetUnixFileMode(binary, (UnixFileMode)0b111_101_101);
        string[] real = ["/usr/local/bin/tessera", "/etc/tessera", "/etc/tessera/tessera.json", "/etc/systemd/system/tessera.service"];
        var before = real.Select(State).ToList();

        var (code, output) = await RunProcessAsync("bash", [("TESSERA_BINARY", binary), ("TMPDIR", temp.Path), ("DESTDIR", "")], Path.Combine(RepoRoot.Path, "scripts", "install"), "--dry-run");

        Assert.True(code == 0, output);
        Assert.Equal(before, real.Select(State).ToList());
        Assert.Contains($"would run: {Path.Combine(RepoRoot.Path, "scripts", "install-deps")}\n", output, StringComparison.Ordinal);
        Assert.Contains("would run: chown root:tessera /etc/tessera /etc/tessera/tessera.json\n", output, StringComparison.Ordinal);
        var hasUser = File.ReadLines("/etc/passwd").Any(l => l.StartsWith("tessera:", StringComparison.Ordinal));
        Assert.Equal(!hasUser, output.Contains("would run: useradd --system --user-group", StringComparison.Ordinal));
        Assert.Equal(Directory.Exists("/run/systemd/system"), output.Contains("would run: systemctl daemon-reload", StringComparison.Ordinal));
        var folder = System.Text.RegularExpressions.Regex.Match(output, "the files are in (\\S+);").Groups[1].Value;
        Assert.StartsWith(temp.Path, folder, StringComparison.Ordinal);
        Assert.Equal("#!/bin/sh\necho dry\n", await File.ReadAllTextAsync(Path.Combine(folder, "usr/local/bin/tessera")));
        Assert.True(AdminKey(Path.Combine(folder, "etc/tessera/tessera.json")).Length >= 32);
        Assert.Contains("ExecStart=/usr/local/bin/tessera serve --config /etc/tessera/tessera.json\n",
            await File.ReadAllTextAsync(Path.Combine(folder, "etc/systemd/system/tessera.service")), StringComparison.Ordinal);

        // With DESTDIR there is no real-root path to show.
        (code, output) = await RunProcessAsync("bash", [("TESSERA_BINARY", binary), ("DESTDIR", temp.Sub("root"))], Path.Combine(RepoRoot.Path, "scripts", "install"), "--dry-run");
        Assert.Equal(2, code);
        Assert.Contains("leave DESTDIR unset", output, StringComparison.Ordinal);
    }

    private static string State(string path) =>
        File.Exists(path) || Directory.Exists(path) ? $"{path} {File.GetLastWriteTimeUtc(path):O} {Mode(path)}" : $"{path} absent";

    /// <summary>systemd's own check where the tool exists (warnings on stderr fail it: unknown keys, bad values), with
    /// ExecStart pointed at the installed binary inside the throwaway root; otherwise the unit's structure.</summary>
    private static async Task VerifyUnitAsync(TempDir temp, string unit, string bin)
    {
        var sections = unit.Split('\n').Where(l => l.StartsWith('[')).ToList();
        Assert.Equal(["[Unit]", "[Service]", "[Install]"], sections);
        Assert.All(unit.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('[')), l => Assert.Matches(@"^[A-Za-z]+=", l));
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (analyze is null)
        {
            return;
        }

        var copy = Path.Combine(temp.Sub("verify"), "tessera.service");
        await File.WriteAllTextAsync(copy, unit.Replace("ExecStart=/usr/local/bin/tessera", "ExecStart=" + bin, StringComparison.Ordinal));
        var (code, output) = await RunProcessAsync(analyze, [], "verify", "--man=no", copy);
        Assert.True(code == 0 && output.Trim().Length == 0, $"systemd-analyze verify: {code}: {output}");
    }

    private static string AdminKey(string config)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(config), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return json.RootElement.GetProperty("Admin").GetProperty("ApiKey").GetString()!;
    }

    private static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8);

    private static Task<(int Code, string Output)> RunAsync(string root, string binary, params (string Name, string Value)[] environment) =>
        RunProcessAsync("bash", [("DESTDIR", root), ("TESSERA_BINARY", binary), .. environment], Path.Combine(RepoRoot.Path, "scripts", "install"));

    private static async Task<(int Code, string Output)> RunProcessAsync(string file, (string Name, string Value)[] environment, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
