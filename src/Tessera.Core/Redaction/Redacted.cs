namespace Tessera.Core.Redaction;

/// <summary>A log argument whose text is redacted when (and only if) the message is written.</summary>
public readonly record struct Redacted(string Text)
{
    public override string ToString() => Redactor.Text(Text);
}
