using Tessera.Core.Index;
using Tessera.Core.Storage;

namespace Tessera.Core.Cache;

/// <summary>`tessera verify`: every rendition row against its file — present, the recorded length, the recorded
/// SHA-256. With repair, a bad row goes (and its file, if damaged); the rendition regenerates on demand.</summary>
public sealed class Verifier(IIndexMaintenance index, IRenditionStore store, HotCache hot)
{
    public async Task<VerifyResult> RunAsync(bool repair, CancellationToken cancellationToken)
    {
        var checkedRows = 0;
        var problems = new List<VerifyProblem>();
        await foreach (var row in index.RenditionChecksAsync(cancellationToken).ConfigureAwait(false))
        {
            checkedRows++;
            var problem = Check(row);
            if (problem is null)
            {
                continue;
            }

            problems.Add(problem);
            if (repair)
            {
                await index.DeleteRenditionRowAsync(row.Key, cancellationToken).ConfigureAwait(false);
                store.Delete(row.Key, row.Extension);
                hot.Remove(row.Key);
            }
        }

        return new VerifyResult(checkedRows, problems, repair);
    }

    private VerifyProblem? Check(RenditionCheck row)
    {
        byte[]? bytes;
        try
        {
            bytes = store.ReadAll(row.Key, row.Extension);
        }
        catch (IOException e)
        {
            return new VerifyProblem(row.Key, $"unreadable: {e.Message}");
        }

        if (bytes is null)
        {
            return new VerifyProblem(row.Key, "missing file");
        }

        return VerifiedRead.Mismatch(bytes, row.Bytes, row.Checksum) is { } problem ? new VerifyProblem(row.Key, problem) : null;
    }
}

/// <summary>What verify found; Repaired tells whether the problems were fixed.</summary>
public sealed record VerifyResult(int Checked, IReadOnlyList<VerifyProblem> Problems, bool Repaired);

public sealed record VerifyProblem(string Key, string Problem);
