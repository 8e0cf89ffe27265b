using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Tessera.Tests.Cli;

namespace Tessera.Tests.Support;

/// <summary>A real `tessera serve` child process on a free loopback port, with its output collected.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServeProcess(Process process, Uri baseAddress)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public HttpClient Client { get; }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<ServeProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartProgramAsync("dotnet", [CliRunner.Dll], environment, args);

    /// <summary>`serve` of another tessera program (the native binary: <paramref name="program"/> with no prefix).</summary>
    public static async Task<ServeProcess> StartProgramAsync(string program, IReadOnlyList<string> prefix, IReadOnlyDictionary<string, string> environment,
        params string[] args)
    {
        var port = FreePort();
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        foreach (var p in prefix)
        {
            info.ArgumentList.Add(p);
        }

        info.ArgumentList.Add("serve");
        foreach (var a in args.Append("--urls").Append($"http://127.0.0.1:{port}"))
        {
            info.ArgumentList.Add(a);
        }

        var serve = new ServeProcess(Process.Start(info)!, new Uri($"http://127.0.0.1:{port}"));
        if (Array.IndexOf(args, "--api-key") is var k and >= 0 && k + 1 < args.Length)
        {
            serve.Client.DefaultRequestHeaders.Add("X-Api-Key", args[k + 1]); // the client is the operator: health details, stats
        }

        for (var i = 0; i < 300; i++)
        {
            Assert.False(serve.HasExited, $"serve exited at start with {(serve.HasExited ? serve._process.ExitCode : 0)}: {serve.Output}");
            try
            {
                using var live = await serve.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
                return serve;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        await serve.DisposeAsync();
        throw new TimeoutException("serve did not start listening within 30 s");
    }

    /// <summary>A clean shutdown: SIGTERM, as systemd sends, then the exit code once the process has gone (within 60 s).</summary>
    public async Task<int> StopAsync()
    {
        Assert.Equal(0, SmallDisk.Run("kill", "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Code);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL, as a crash or the OOM killer ends a process: no shutdown, no lease given back.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
