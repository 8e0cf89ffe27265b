namespace Tessera.Core.Pipeline;

/// <summary>How to start the render worker: an executable (the apphost or NativeAOT <c>tessera</c>) or
/// <c>dotnet tessera.dll</c>, followed by <c>render-worker</c>.</summary>
internal sealed record WorkerCommand(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>The value of Encoding:WorkerPath that renders in-process on purpose.</summary>
    public const string Off = "off";

    /// <summary>The configured path, else the running <c>tessera</c> itself (<c>serve</c>, apphost or NativeAOT),
    /// else the Tessera CLI beside the loaded assemblies (embedding hosts that ship it, tests, <c>dotnet tessera.dll</c>).
    /// Null when none exists: the caller renders in-process.</summary>
    public static WorkerCommand? Find(string? configured)
    {
        if (configured is not null)
        {
            return FromPath(Path.GetFullPath(configured));
        }

        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "tessera")
        {
            return new WorkerCommand(self, ["render-worker"]);
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "tessera");
        return FromPath(OperatingSystem.IsWindows() ? beside + ".exe" : beside) ?? FromPath(beside + ".dll");
    }

    private static WorkerCommand? FromPath(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new WorkerCommand(DotnetHost(), [path, "render-worker"])
            : new WorkerCommand(path, ["render-worker"]);
    }

    /// <summary>The dotnet host running this process (tests, <c>dotnet tessera.dll</c>), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : "dotnet";
}
