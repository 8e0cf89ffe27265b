namespace Tessera.Core.Health;

/// <summary>The result of the readiness checks: each check, and whether all passed.</summary>
public sealed record HealthReport(bool Healthy, IReadOnlyList<HealthCheck> Checks)
{
    /// <summary>The failed checks' reasons, joined: what an operator reads first.</summary>
    public string Reason => string.Join("; ", Checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Detail}"));
}

/// <summary>One check: its name, whether it passed, and what was seen.</summary>
public sealed record HealthCheck(string Name, bool Ok, string Detail);
