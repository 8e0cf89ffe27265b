using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;

namespace Tessera.Core.Catalog.Stash;

/// <summary>How a subscription's connection ended: <see cref="Refused"/> when the upstream cannot serve it (the upgrade
/// answered with an HTTP error, the protocol or the operation refused), <see cref="Dropped"/> when a connection that
/// may come back was lost.</summary>
public enum SubscriptionEnd
{
    Dropped,
    Refused,
}

/// <summary>One connection to Stash's <c>scanCompleteSubscribe</c> over the websocket transport Stash's gqlgen server
/// enables on <c>/graphql</c>. Stash authenticates the upgrade request like any other (its <c>ApiKey</c> header; the
/// websocket transport has no init hook), so the key goes only into that header. gqlgen speaks both
/// <c>graphql-transport-ws</c> and the legacy <c>graphql-ws</c> (its choice when none is asked for); both are offered and
/// the server's choice is spoken. JSON is read and written by hand (no reflection).</summary>
internal sealed class StashSubscription(Uri url, string? apiKey)
{
    public const string Query = "subscription { scanCompleteSubscribe }";
    private const string TransportWs = "graphql-transport-ws";
    private const string LegacyWs = "graphql-ws";
    private const int MaxMessage = 1 << 20;
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Why the last connection ended (safe to log: never the key).</summary>
    public string Reason { get; private set; } = "";

    public static Uri Endpoint(Uri url) => new UriBuilder(new Uri(url, "graphql")) { Scheme = url.Scheme == "https" ? "wss" : "ws" }.Uri;

    /// <summary>Connects, subscribes and calls <paramref name="scanComplete"/> for each event until the connection ends;
    /// <paramref name="connected"/> runs once the subscription is acknowledged.</summary>
    public async Task<SubscriptionEnd> RunAsync(Action connected, Func<CancellationToken, Task> scanComplete, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(30); // a half-open connection ends, and is reconnected
        socket.Options.AddSubProtocol(TransportWs);
        socket.Options.AddSubProtocol(LegacyWs);
        if (!string.IsNullOrEmpty(apiKey))
        {
            socket.Options.SetRequestHeader("ApiKey", apiKey);
        }

        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            handshake.CancelAfter(HandshakeTimeout);
            try
            {
                await socket.ConnectAsync(Endpoint(url), handshake.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return End(SubscriptionEnd.Dropped, "the upgrade timed out");
            }
            catch (WebSocketException e)
            {
                var status = (int)socket.HttpStatusCode;
                return status is >= 400 and < 500 and not (408 or 429)
                    ? End(SubscriptionEnd.Refused, $"the websocket upgrade was answered with HTTP {status}")
                    : End(SubscriptionEnd.Dropped, status > 0 ? $"the websocket upgrade was answered with HTTP {status}" : e.Message);
            }

            var legacy = socket.SubProtocol is null or LegacyWs;
            try
            {
                await SendAsync(socket, w => w.WriteString("type", "connection_init"), cancellationToken).ConfigureAwait(false);
                await SendAsync(socket, w =>
                {
                    w.WriteString("id", "1");
                    w.WriteString("type", legacy ? "start" : "subscribe");
                    w.WriteStartObject("payload");
                    w.WriteString("query", Query);
                    w.WriteEndObject();
                }, cancellationToken).ConfigureAwait(false);
                return await ReceiveAsync(socket, connected, scanComplete, handshake, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return End(SubscriptionEnd.Dropped, "no acknowledgement within the handshake timeout");
            }
            catch (WebSocketException e)
            {
                return End(SubscriptionEnd.Dropped, e.Message);
            }
        }
    }

    private async Task<SubscriptionEnd> ReceiveAsync(ClientWebSocket socket, Action connected, Func<CancellationToken, Task> scanComplete,
        CancellationTokenSource handshake, CancellationToken cancellationToken)
    {
        var acknowledged = false;
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            buffer.ResetWrittenCount();
            if (!await ReadMessageAsync(socket, buffer, acknowledged ? cancellationToken : handshake.Token).ConfigureAwait(false))
            {
                var status = socket.CloseStatus is { } s ? (int)s : 0;
                return End(status is 1002 or >= 4400 and < 4500 ? SubscriptionEnd.Refused : SubscriptionEnd.Dropped,
                    $"the upstream closed the connection ({status} {socket.CloseStatusDescription})");
            }

            using var message = Parse(buffer.WrittenMemory);
            var type = message is not null && message.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
            switch (type)
            {
                case "connection_ack":
                    acknowledged = true;
                    connected();
                    break;
                case "ping":
                    await SendAsync(socket, w => w.WriteString("type", "pong"), cancellationToken).ConfigureAwait(false);
                    break;
                case "next" or "data":
                    if (Fired(message!.RootElement))
                    {
                        await scanComplete(cancellationToken).ConfigureAwait(false);
                    }
                    else if (message.RootElement.TryGetProperty("payload", out var p) && p.TryGetProperty("errors", out _))
                    {
                        await CloseAsync(socket).ConfigureAwait(false);
                        return End(SubscriptionEnd.Refused, "the upstream refused the subscription");
                    }

                    break;
                case "error" or "connection_error":
                    await CloseAsync(socket).ConfigureAwait(false);
                    return End(SubscriptionEnd.Refused, $"the upstream answered the subscription with {type}");
                case "complete":
                    await CloseAsync(socket).ConfigureAwait(false);
                    return End(SubscriptionEnd.Dropped, "the upstream completed the subscription");
                default:
                    break; // "ka", "pong" and anything newer: nothing to do
            }
        }
    }

    private static bool Fired(JsonElement message) =>
        message.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object
        && payload.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
        && data.TryGetProperty("scanCompleteSubscribe", out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False;

    private static JsonDocument? Parse(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>Reads one whole text message; false when the upstream closed.</summary>
    private static async Task<bool> ReadMessageAsync(ClientWebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return false;
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > MaxMessage)
            {
                throw new WebSocketException("a message over 1 MiB");
            }

            if (result.EndOfMessage)
            {
                return true;
            }
        }
    }

    private static async Task SendAsync(ClientWebSocket socket, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        await socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
    }

    private static async Task CloseAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // closing is a courtesy
        }
    }

    /// <summary>Records why the connection ended (without the key, whatever a message quoted) and how.</summary>
    public SubscriptionEnd End(SubscriptionEnd end, string reason)
    {
        Reason = string.IsNullOrEmpty(apiKey) ? reason : reason.Replace(apiKey, "***", StringComparison.Ordinal);
        return end;
    }
}
