using System.Net.Sockets;
using System.Text;

namespace Tessera.Tests.Http;

/// <summary>One HTTP/1.1 request written byte for byte over a socket, so the request target reaches the server
/// exactly as written (HttpClient would normalise dot segments and re-encode).</summary>
public static class RawHttp
{
    public static async Task<RawResponse> GetAsync(Uri server, string target, string? headers = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var request = $"GET {target} HTTP/1.1\r\nHost: {server.Authority}\r\nAccept: */*\r\n{headers}Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        await stream.FlushAsync();

        using var buffer = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await stream.CopyToAsync(buffer, timeout.Token);
        return RawResponse.Parse(buffer.ToArray());
    }
}

public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public static RawResponse Parse(byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            throw new InvalidDataException($"no complete response head in {raw.Length} bytes: {Encoding.Latin1.GetString(raw)}");
        }

        var lines = Encoding.Latin1.GetString(raw, 0, end).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
        }

        var body = raw.AsSpan(end + 4).ToArray();
        if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new RawResponse(status, headers, body);
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        using var output = new MemoryStream();
        var pos = 0;
        while (true)
        {
            var lineEnd = chunked.AsSpan(pos).IndexOf("\r\n"u8);
            var sizeText = Encoding.Latin1.GetString(chunked, pos, lineEnd).Split(';')[0];
            var size = Convert.ToInt32(sizeText, 16);
            pos += lineEnd + 2;
            if (size == 0)
            {
                return output.ToArray();
            }

            output.Write(chunked, pos, size);
            pos += size + 2;
        }
    }
}
