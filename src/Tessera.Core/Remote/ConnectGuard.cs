using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;

namespace Tessera.Core.Remote;

/// <summary>The handler's ConnectCallback: resolves the host itself, keeps only permitted addresses and connects to
/// one of exactly those, so a name that resolves (or re-resolves, DNS rebinding) to an internal address never gets a
/// connection. Runs for every new connection, including every redirect hop.</summary>
/// <para>Pinned to endpoints (a catalog's stack): only connections to exactly those host:port pairs, which the operator
/// configured, are made, to whatever address they resolve to (a LAN Stash is private by nature); every other
/// destination is refused, so allowing the catalog opens nothing else.</para>
internal sealed class ConnectGuard(IReadOnlyList<IPNetwork> allowedNetworks, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null,
    IReadOnlySet<string>? pinned = null)
{
    /// <summary>The pin of an origin: lower-case host and port.</summary>
    public static string Pin(Uri origin) => $"{HostPattern.Normalize(origin.IdnHost.TrimStart('[').TrimEnd(']'))}:{origin.Port}";

    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host.TrimStart('[').TrimEnd(']').Replace("%25", "%", StringComparison.Ordinal);
        if (pinned is not null && !pinned.Contains($"{HostPattern.Normalize(host)}:{context.DnsEndPoint.Port}"))
        {
            throw new RemoteBlockedException($"'{host}:{context.DnsEndPoint.Port}' is not the catalog's origin");
        }

        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await _resolve(host, ct);

        var permitted = new List<IPAddress>(addresses.Length);
        string? refused = null;
        foreach (var address in addresses)
        {
            if (pinned is not null || AddressPolicy.IsPermitted(address, allowedNetworks, out var reason))
            {
                permitted.Add(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
            }
            else
            {
                refused ??= $"{address} is {reason}";
            }
        }

        if (permitted.Count == 0)
        {
            throw new RemoteBlockedException(refused is null ? $"'{host}' has no addresses" : $"'{host}' resolves only to blocked addresses ({refused})");
        }

        ExceptionDispatchInfo? last = null;
        foreach (var address in permitted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = ExceptionDispatchInfo.Capture(e);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        last!.Throw();
        throw new UnreachableException();
    }
}
