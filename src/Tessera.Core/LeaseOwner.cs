using System.Security.Cryptography;

namespace Tessera.Core;

/// <summary>A name for who holds a lease (a job, a unit, a rendition key): host, process id and a random part, so two
/// holders in one process differ and a restarted process is another owner.</summary>
public static class LeaseOwner
{
    public static string New() => $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
}
