namespace Tessera.Core.Index;

/// <summary>The index could not do what was asked. The one storage exception outside an index implementation:
/// callers decide by <see cref="Kind"/>, never by a database's own error codes.</summary>
public sealed class IndexException : Exception
{
    public IndexException()
    {
    }

    public IndexException(string message)
        : base(message)
    {
    }

    public IndexException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public IndexException(IndexFailure kind, string message, Exception? innerException)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public IndexFailure Kind { get; } = IndexFailure.Failed;
}

public enum IndexFailure
{
    /// <summary>Anything else: a bug, a constraint, an unexpected answer.</summary>
    Failed,

    /// <summary>The database cannot be opened or written: missing, read-only, no permission, an I/O error.</summary>
    Unavailable,

    /// <summary>Another writer held the database past the timeout.</summary>
    Busy,

    /// <summary>The disk or the database is full.</summary>
    Full,

    /// <summary>The database file is damaged or is no database.</summary>
    Corrupt,
}
