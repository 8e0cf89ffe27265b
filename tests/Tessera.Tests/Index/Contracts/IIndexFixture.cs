using Tessera.Core.Index;

namespace Tessera.Tests.Index.Contracts;

/// <summary>A fresh, empty index of one implementation, for the contract tests. A new backend is a new fixture.</summary>
public interface IIndexFixture : IDisposable
{
    IndexPorts Ports { get; }
}

/// <summary>The base of every contract class: one fresh index per test.</summary>
public abstract class IndexContract<TFixture> : IDisposable
    where TFixture : IIndexFixture, new()
{
    private readonly TFixture _fixture = new();

    protected IndexPorts Index => _fixture.Ports;

    public void Dispose()
    {
        _fixture.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static string Key(int i) => $"{i:x4}".PadRight(64, '0');
}
