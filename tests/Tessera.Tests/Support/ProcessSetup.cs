using System.Runtime.CompilerServices;
using Tessera.Index.Sqlite;

namespace Tessera.Tests.Support;

/// <summary>What a host does once at start, done once for the test process: one SQLite (see SqliteLibrary).</summary>
internal static class ProcessSetup
{
    [ModuleInitializer]
    internal static void Initialize() => SqliteLibrary.UseSystemLibrary();
}
