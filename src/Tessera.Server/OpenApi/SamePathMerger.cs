using System.Text;
using Microsoft.OpenApi;

namespace Tessera.Server.OpenApi;

/// <summary>Routing tells DELETE /api/items/{library}/{first}/{**rest} from PUT /api/items/{library}/{id}/{role}, but
/// OpenAPI requires every path template to be unique up to its parameter names: such paths become one path item, the
/// later one's operations renaming their path parameters to the first one's, in order.</summary>
internal static class SamePathMerger
{
    public static void Merge(OpenApiPaths paths)
    {
        var bySignature = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths.Keys.ToList())
        {
            if (bySignature.TryAdd(Signature(path), path))
            {
                continue;
            }

            var target = (OpenApiPathItem)paths[bySignature[Signature(path)]];
            var names = Parameters(path).Zip(Parameters(bySignature[Signature(path)])).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
            foreach (var (method, operation) in paths[path].Operations ?? [])
            {
                foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Path))
                {
                    parameter.Name = names.GetValueOrDefault(parameter.Name!, parameter.Name!);
                }

                target.Operations ??= [];
                target.Operations.TryAdd(method, operation);
            }

            paths.Remove(path);
        }
    }

    private static string Signature(string path)
    {
        var text = new StringBuilder(path.Length);
        var inside = false;
        foreach (var c in path)
        {
            inside = c == '{' || (inside && c != '}');
            if (!inside)
            {
                text.Append(c == '}' ? "{}" : c);
            }
        }

        return text.ToString();
    }

    private static IEnumerable<string> Parameters(string path) =>
        path.Split('{').Skip(1).Select(part => part[..part.IndexOf('}', StringComparison.Ordinal)]);
}
