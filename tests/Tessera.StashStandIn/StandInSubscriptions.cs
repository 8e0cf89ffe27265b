using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.AspNetCore.Http;

namespace Tessera.Tests.Support.StashStandIn;

/// <summary>Stash's websocket transport on <c>/graphql</c> as its gqlgen server runs it: the upgrade is authenticated
/// like any request (the <c>ApiKey</c> header, else 401), both <c>graphql-transport-ws</c> and the legacy
/// <c>graphql-ws</c> (the default when the client asks for neither) are spoken, and a subscription is validated against
/// <see cref="StashSchema"/>. Knobs fire <c>scanCompleteSubscribe</c>, drop every connection or refuse upgrades.</summary>
public sealed class StandInSubscriptions(Func<HttpContext, bool> authorized)
{
    private const string TransportWs = "graphql-transport-ws";
    private const string LegacyWs = "graphql-ws";
    private readonly ConcurrentDictionary<Subscriber, byte> _subscribers = new();
    private int _upgrades;

    /// <summary>Answers every upgrade with this status instead (e.g. 400 or 404: an upstream without websockets).</summary>
    public int? RefuseStatus { get; set; }

    /// <summary>Speaks only the legacy <c>graphql-ws</c> (as gqlgen before graphql-transport-ws did).</summary>
    public bool LegacyOnly { get; set; }

    /// <summary>Upgrade requests received (refused ones included).</summary>
    public int Upgrades => Volatile.Read(ref _upgrades);

    /// <summary>Subscriptions started and not yet ended.</summary>
    public int Active => _subscribers.Count;

    /// <summary>The ApiKey header of every upgrade request, in order.</summary>
    public ConcurrentQueue<string?> Keys { get; } = new();

    /// <summary>Sends a <c>scanCompleteSubscribe</c> event to every active subscription; returns how many got it.</summary>
    public async Task<int> FireScanCompleteAsync()
    {
        var sent = 0;
        foreach (var subscriber in _subscribers.Keys)
        {
            var type = subscriber.Protocol == LegacyWs ? "data" : "next";
            var message = new JsonObject
            {
                ["id"] = subscriber.Id,
                ["type"] = type,
                ["payload"] = new JsonObject { ["data"] = new JsonObject { ["scanCompleteSubscribe"] = true } },
            };
            try
            {
                await subscriber.SendAsync(message, CancellationToken.None);
                sent++;
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException)
            {
                // a connection going away as we speak
            }
        }

        return sent;
    }

    /// <summary>Aborts every websocket connection (a network drop or an upstream restart).</summary>
    public void DropAll()
    {
        foreach (var subscriber in _subscribers.Keys)
        {
            _subscribers.TryRemove(subscriber, out _);
            subscriber.Context.Abort();
        }
    }

    public async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _upgrades);
        Keys.Enqueue(context.Request.Headers["ApiKey"].FirstOrDefault());
        if (RefuseStatus is { } refused)
        {
            context.Response.StatusCode = refused;
            return;
        }

        if (!authorized(context))
        {
            context.Response.StatusCode = 401;
            return;
        }

        var asked = context.WebSockets.WebSocketRequestedProtocols;
        var protocol = asked.FirstOrDefault(p => p == LegacyWs || (p == TransportWs && !LegacyOnly));
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        using var subscriber = new Subscriber(socket, protocol ?? LegacyWs, context);
        try
        {
            await RunAsync(subscriber, context.RequestAborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // the client went away, or a test dropped it
        }
        finally
        {
            _subscribers.TryRemove(subscriber, out _);
        }
    }

    private async Task RunAsync(Subscriber subscriber, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await subscriber.Socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await subscriber.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                return;
            }

            using var message = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            var type = message.RootElement.GetProperty("type").GetString();
            switch (type)
            {
                case "connection_init":
                    await subscriber.SendAsync(new JsonObject { ["type"] = "connection_ack" }, cancellationToken);
                    break;
                case "ping":
                    await subscriber.SendAsync(new JsonObject { ["type"] = "pong" }, cancellationToken);
                    break;
                case "subscribe" or "start":
                    var id = message.RootElement.GetProperty("id").GetString()!;
                    var query = message.RootElement.GetProperty("payload").GetProperty("query").GetString() ?? "";
                    if (Validate(query) is { } error)
                    {
                        await subscriber.SendAsync(new JsonObject
                        {
                            ["id"] = id,
                            ["type"] = "error",
                            ["payload"] = new JsonArray(new JsonObject { ["message"] = error }),
                        }, cancellationToken);
                        break;
                    }

                    subscriber.Id = id;
                    _subscribers[subscriber] = 0;
                    break;
                case "complete" or "stop":
                    _subscribers.TryRemove(subscriber, out _);
                    break;
                default:
                    break;
            }
        }
    }

    private static string? Validate(string query)
    {
        try
        {
            var operation = Parser.Parse(query).Definitions.OfType<GraphQLOperationDefinition>().Single();
            return operation.Operation != OperationType.Subscription ? "not a subscription" : StashSchema.Validate(operation, default);
        }
        catch (GraphQLParserException e)
        {
            return e.Message;
        }
    }

    private sealed class Subscriber(WebSocket socket, string protocol, HttpContext context) : IDisposable
    {
        private readonly SemaphoreSlim _send = new(1, 1);

        public WebSocket Socket => socket;

        public string Protocol => protocol;

        public HttpContext Context => context;

        public string Id { get; set; } = "";

        public async Task SendAsync(JsonObject message, CancellationToken cancellationToken)
        {
            await _send.WaitAsync(cancellationToken);
            try
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
            }
            finally
            {
                _send.Release();
            }
        }

        public void Dispose() => _send.Dispose();
    }
}
