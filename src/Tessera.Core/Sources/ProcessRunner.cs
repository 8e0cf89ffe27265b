using System.Diagnostics;

namespace Tessera.Core.Sources;

/// <summary>Runs a child process with a timeout and a cap on the bytes read from its standard output.</summary>
public static class ProcessRunner
{
    public static async Task<byte[]> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, long maxOutputBytes, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ExternalToolException($"{fileName} is not installed or cannot start: {e.Message}", e);
        }

        process.StandardInput.Close();
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        var stderr = process.StandardError.ReadToEndAsync(timer.Token);
        try
        {
            var output = await ReadCappedAsync(process.StandardOutput.BaseStream, maxOutputBytes, timer.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(timer.Token).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                var message = (await stderr.ConfigureAwait(false)).Trim();
                throw new ExternalToolException($"{Path.GetFileName(fileName)} exited with {process.ExitCode}: {Truncate(message)}");
            }

            return output;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Path.GetFileName(fileName)} took longer than {timeout.TotalSeconds:0.#} s");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<byte[]> ReadCappedAsync(Stream stream, long max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new ExternalToolException($"output is larger than the {max}-byte cap");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";
}

/// <summary>An external tool (ffmpeg, ffprobe) failed or misbehaved.</summary>
public sealed class ExternalToolException : Exception
{
    public ExternalToolException() { }

    public ExternalToolException(string message) : base(message) { }

    public ExternalToolException(string message, Exception innerException) : base(message, innerException) { }
}
