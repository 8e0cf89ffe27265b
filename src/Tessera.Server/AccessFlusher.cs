using Microsoft.Extensions.Logging;
using Tessera.Core;
using Tessera.Core.Eviction;
using Tessera.Core.Index;
using Tessera.Server.Background;

namespace Tessera.Server;

/// <summary>Writes batched access times to the index every flush interval and at shutdown.</summary>
internal sealed class AccessFlusher(AccessTracker access, IEvictionIndex index, TesseraOptions options, BackgroundLoops loops, ILogger<AccessFlusher> logger)
    : BackgroundLoop("access times", options.FlushInterval, loops, logger)
{
    protected override Task RunOnceAsync(CancellationToken cancellationToken) => access.FlushAsync(index, cancellationToken);
}
