using Tessera.Tests.Support;

namespace Tessera.Tests.Install;

/// <summary>The Dockerfile cannot be built here (no Docker engine): its structure is checked instead.</summary>
public sealed class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllText(Path.Combine(RepoRoot.Path, "Dockerfile"))
        .Replace("\\\n", " ", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    [Fact]
    public void Dockerfile_BuildsNatively_AndRunsOnSlimBookworm()
    {
        var stages = Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, stages.Count);
        Assert.Contains("PublishAot=true", Stage(0), StringComparison.Ordinal);
        Assert.Contains("clang", Stage(0), StringComparison.Ordinal);
        Assert.Contains("zlib1g-dev", Stage(0), StringComparison.Ordinal);
        Assert.StartsWith("FROM debian:bookworm-slim", stages[1], StringComparison.Ordinal);

        var runtime = Stage(1);
        foreach (var package in new[] { "libvips42", "ffmpeg", "libsqlite3-0" })
        {
            Assert.Matches($@"apt-get install [^&]*\b{package}\b", runtime);
        }

        Assert.DoesNotContain("libvips-dev", runtime, StringComparison.Ordinal);
        Assert.DoesNotContain("clang", runtime, StringComparison.Ordinal);
        Assert.Contains("COPY --from=build /out/tessera ", runtime, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_RunsServeAsNonRoot_WithDataVolumePortAndHealthCheck()
    {
        var runtime = RuntimeLines();
        var user = runtime.Last(l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..].Trim();
        Assert.DoesNotContain(user.Split(':')[0], new[] { "root", "0" });
        Assert.Contains(runtime, l => l.StartsWith("VOLUME", StringComparison.Ordinal) && l.Contains("/data", StringComparison.Ordinal));
        Assert.Contains(runtime, l => l.StartsWith("EXPOSE 8080", StringComparison.Ordinal));
        Assert.Contains(runtime, l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal) && l.Contains("/healthz", StringComparison.Ordinal));
        var entry = runtime.Single(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal));
        Assert.Matches(@"ENTRYPOINT \[""[^""]*tessera"", ""serve""\]", entry);
        Assert.Contains(runtime, l => l.Contains("TESSERA__Data=/data", StringComparison.Ordinal));

        var ignore = File.ReadAllLines(Path.Combine(RepoRoot.Path, ".dockerignore"));
        Assert.Contains(".build/", ignore);
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }

    private static List<string> RuntimeLines() =>
        [.. Lines.SkipWhile(l => !l.StartsWith("FROM debian:bookworm-slim AS runtime", StringComparison.Ordinal))];

    private static string Stage(int index)
    {
        var starts = Lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("FROM ", StringComparison.Ordinal)).Select(x => x.i).Append(Lines.Length).ToList();
        return string.Join('\n', Lines[starts[index]..starts[index + 1]]);
    }
}
