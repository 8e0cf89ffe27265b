namespace Tessera.Server.Access;

/// <summary>What the access check decided: allowed (with the user the app named, if any), or the status to refuse with.</summary>
internal sealed record AccessDecision(bool Allowed, int Status, string? User, string? Reason)
{
    public static readonly AccessDecision Open = new(true, 200, null, null);

    public static AccessDecision Allow(string? user) => user is null ? Open : new(true, 200, user, null);

    public static AccessDecision Deny(int status, string reason) => new(false, status, null, reason);
}
