namespace Tessera.Core.Cache;

/// <summary>Who an encode is for. Live work (a request) is always admitted before background work (jobs, warm),
/// and background work never holds more than its share of the encode slots.</summary>
public enum WorkPriority
{
    Live,
    Background,
}
