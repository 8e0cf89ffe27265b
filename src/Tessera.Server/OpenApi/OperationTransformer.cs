using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Tessera.Server.OpenApi;

/// <summary>Turns Tessera's route metadata into the document: query parameters handlers read themselves, image answers
/// (bodies, 304, placeholders, 429) and the admin key's schemes and refusals.</summary>
internal static class OperationTransformer
{
    private static readonly string[] ImageTypes = ["image/webp", "image/jpeg", "image/png", "image/avif"];

    public static async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        foreach (var query in metadata.OfType<QueryParameterMetadata>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = query.Name,
                In = ParameterLocation.Query,
                Description = query.Description,
                Schema = query.Repeatable ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = Scalar(query.Type) } : Scalar(query.Type),
            });
        }

        if (metadata.OfType<RequestBodyMetadata>().FirstOrDefault() is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = !body.Optional,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ApiDescriptions.Json] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, parameterDescription: null, ct) },
                },
            };
        }

        if (metadata.OfType<FormBodyMetadata>().FirstOrDefault() is { } form)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/x-www-form-urlencoded"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Properties = form.Fields.ToDictionary(f => f, IOpenApiSchema (_) => new OpenApiSchema { Type = JsonSchemaType.String }),
                            Required = new HashSet<string>(form.Fields),
                        },
                    },
                },
            };
        }

        var isImage = metadata.OfType<ImageRouteMetadata>().Any();
        var isAdmin = metadata.OfType<AdminRouteMetadata>().Any();
        if (!isImage && !isAdmin)
        {
            return;
        }

        var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), parameterDescription: null, ct);
        operation.Responses ??= [];
        if (isImage)
        {
            AddImageAnswers(operation.Responses, problem);
        }

        if (isAdmin)
        {
            operation.Security = [.. DocumentTransformer.AdminSchemes.Select(s => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(s, context.Document)] = [] })];
            operation.Responses.TryAdd("401", Problem("No admin key, or a wrong one (WWW-Authenticate: Bearer).", problem));
            operation.Responses.TryAdd("403", Problem("The admin API is disabled: no admin key is configured.", problem));
        }
    }

    private static void AddImageAnswers(OpenApiResponses responses, IOpenApiSchema problem)
    {
        responses["200"] = new OpenApiResponse
        {
            Description = "The image (HEAD: its headers). A placeholder of the preset's size when no thumbnail can be made (X-Tessera-Placeholder names why).",
            Content = Images(),
            Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["ETag"] = Header("Strong validator of the rendition."),
                ["Cache-Control"] = Header("public, max-age=60, must-revalidate for item URLs; immutable for /c/; max-age=300 for placeholders."),
                ["Content-Location"] = Header("The rendition's content address, /c/{key}.{ext}."),
                ["X-Tessera-Cache"] = Header("hit or miss."),
                ["X-Tessera-Placeholder"] = Header("Set on placeholders: the reason (not-found, unsupported, too-large, …)."),
                ["Vary"] = Header("Accept, when the format is negotiated (auto)."),
            },
        };
        responses["304"] = new OpenApiResponse { Description = "Not modified: If-None-Match matched the ETag." };
        responses.TryAdd("400", Problem("Unknown preset or format, or a malformed path or id.", problem));
        responses["404"] = new OpenApiResponse
        {
            Description = "Unknown library (problem details), or no such file or item (the not-found placeholder image).",
            Content = Images(("application/problem+json", problem)),
        };
        responses["429"] = new OpenApiResponse
        {
            Description = "Too many thumbnails are being generated (or this client's miss limit): retry after Retry-After seconds.",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
            Headers = new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = Header("Seconds to wait.", JsonSchemaType.Integer) },
        };
        responses.TryAdd("503", Problem("The thumbnail is not cached and cannot be made now (e.g. the disk is full).", problem));
    }

    private static Dictionary<string, OpenApiMediaType> Images(params (string Type, IOpenApiSchema Schema)[] more)
    {
        var content = ImageTypes.ToDictionary(t => t, _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } });
        foreach (var (type, schema) in more)
        {
            content[type] = new OpenApiMediaType { Schema = schema };
        }

        return content;
    }

    internal static OpenApiResponse Problem(string description, IOpenApiSchema problem) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
    };

    private static OpenApiHeader Header(string description, JsonSchemaType type = JsonSchemaType.String) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = type } };

    private static OpenApiSchema Scalar(string type) => type switch
    {
        "integer" => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
        "date" => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
        _ => new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
