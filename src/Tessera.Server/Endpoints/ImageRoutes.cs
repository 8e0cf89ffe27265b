namespace Tessera.Server.Endpoints;

/// <summary>Every image route answers HEAD as it answers GET: the same status and headers, no body (Kestrel drops it).</summary>
internal static class ImageRoutes
{
    public static readonly string[] GetAndHead = ["GET", "HEAD"];
}
