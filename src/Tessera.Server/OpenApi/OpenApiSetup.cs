using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Catalog;
using Tessera.Server.Endpoints;
using Tessera.Server.Health;
using Tessera.Server.Jobs;

namespace Tessera.Server.OpenApi;

/// <summary>The OpenAPI document at /openapi/v1.json. Its schemas come from the same source-generated JSON contexts the
/// endpoints read and write with (no reflection: NativeAOT), added to the HTTP JSON options the generator asks.</summary>
internal static class OpenApiSetup
{
    public static IServiceCollection AddTesseraOpenApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            var chain = o.SerializerOptions.TypeInfoResolverChain;
            chain.Add(ResponseJson.Default);
            chain.Add(RequestJson.Default);
            chain.Add(ManifestJson.Default);
            chain.Add(JobApiJson.Default);
            chain.Add(CatalogJson.Default);
            chain.Add(HealthJson.Default);
            chain.Add(ParameterJson.Default);
            chain.Add(Dashboard.DashboardJson.Default);
        });
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer(DocumentTransformer.TransformAsync);
            o.AddOperationTransformer(OperationTransformer.TransformAsync);
        });
        return services;
    }
}

/// <summary>The route and query parameters' types, for their schemas.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(long?))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(bool))]
internal sealed partial class ParameterJson : JsonSerializerContext;
