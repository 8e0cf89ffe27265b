using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Tessera.Server.Health;

namespace Tessera.Server.OpenApi;

/// <summary>The document's title, the admin key's two schemes, and /healthz and /readyz, which are health-check endpoints
/// (no handler method, so the API explorer does not see them).</summary>
internal static class DocumentTransformer
{
    public const string ApiKeyScheme = "ApiKey";
    public const string BearerScheme = "Bearer";
    public static readonly string[] AdminSchemes = [ApiKeyScheme, BearerScheme];

    public static async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Tessera",
            Version = "v1",
            Description = "A thumbnail and cover cache for self-hosted media libraries. Image routes (/t/, /i/, /r/, /c/) are public unless " +
                          "their library's access mode says otherwise; /api/ routes marked with a security requirement need the admin key " +
                          "(X-Api-Key or Authorization: Bearer). Every JSON error is problem details (RFC 9457).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "The admin key (serve --api-key, Admin:ApiKey or TESSERA_API_KEY).",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The admin key as a Bearer token.",
        };

        var detailed = await context.GetOrCreateSchemaAsync(typeof(HealthBody), parameterDescription: null, ct);
        var status = await context.GetOrCreateSchemaAsync(typeof(HealthStatusBody), parameterDescription: null, ct);
        document.Paths ??= [];
        document.Paths["/healthz"] = Health("Liveness", "The index, the data folder, libvips and ffmpeg.", status, detailed);
        document.Paths["/readyz"] = Health("Readiness", "The liveness checks plus the encode queue, free disk, the libraries' folders, the background loops and whether the index is writable.",
            status, detailed);
        SamePathMerger.Merge(document.Paths);
    }

    private static OpenApiPathItem Health(string summary, string checks, IOpenApiSchema status, IOpenApiSchema detailed)
    {
        var body = new OpenApiSchema { OneOf = [status, detailed] };
        var content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = body } };
        var operation = new OpenApiOperation
        {
            Tags = new HashSet<OpenApiTagReference> { new("Operations") },
            Summary = summary,
            Description = $"{checks} The body is {{\"status\": \"ok\"|\"unhealthy\"}} alone; with the admin key also the reason, the checks and the encode counts.",
            OperationId = summary.ToLowerInvariant(),
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse { Description = "Healthy.", Content = content },
                ["503"] = new OpenApiResponse { Description = "A check failed.", Content = content },
            },
        };
        return new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = operation } };
    }
}
