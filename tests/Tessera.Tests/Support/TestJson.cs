using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Tessera.Tests.Support;

/// <summary>Reflection-based JSON for the tests' own request bodies (anonymous types). The test process runs with
/// reflection-based serialization off by default, as the product does, so a product type missing from a source-generated
/// context fails a test; only the tests opt back in, here, explicitly.</summary>
internal static class TestJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    public static string Serialize(object value) => JsonSerializer.Serialize(value, value.GetType(), Options);

    public static JsonContent Content(object value) => JsonContent.Create(value, value.GetType(), options: Options);
}
