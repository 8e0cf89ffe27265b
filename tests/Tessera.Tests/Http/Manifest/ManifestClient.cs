using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Tessera.Tests.Http.Manifest;

/// <summary>Posts manifests to a real server and counts what a manifest must not change.</summary>
internal static class ManifestClient
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(TesseraHost host, string json, string? apiKey = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/manifest", UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    public static string Body(string library, string preset, string kind, IEnumerable<string> items) =>
        Support.TestJson.Serialize(new Dictionary<string, object> { ["library"] = library, ["preset"] = preset, [kind] = items.ToArray() });

    /// <summary>Rows of the tables a request could grow: renditions, fingerprints, derived originals, negatives, items.</summary>
    public static long IndexRows(TesseraHost host)
    {
        using var connection = new SqliteConnection($"Data Source={host.Cache.Folder.DatabasePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        long total = 0;
        foreach (var table in new[] { "renditions", "fingerprints", "derived", "negatives", "items", "aliases" })
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'";
            if (Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                continue;
            }

            cmd.CommandText = $"SELECT count(*) FROM {table}";
            total += Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return total;
    }

    public static string? Str(this JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static int? Int(this JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
}
