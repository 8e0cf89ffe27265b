using System.Runtime.CompilerServices;

namespace Tessera.Tests.Support;

internal static class LeakCheck
{
    /// <summary>Every test run has libvips' leak checking on: it reports leaked objects at shutdown.</summary>
    [ModuleInitializer]
    internal static void TurnOn() => Environment.SetEnvironmentVariable("TESSERA_VIPS_LEAK", "1");
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Serial
{
    public const string Name = "serial";
}
