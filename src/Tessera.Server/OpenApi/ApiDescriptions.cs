using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Tessera.Server.OpenApi;

/// <summary>What the OpenAPI document says of a route, beside where the route is mapped.</summary>
internal static class ApiDescriptions
{
    public const string Json = "application/json";

    /// <summary>Summary, description and tag of one operation.</summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder builder, string tag, string summary, string? description = null)
    {
        builder.WithTags(tag).WithSummary(summary);
        return description is null ? builder : builder.WithDescription(description);
    }

    /// <summary>Marks every route of a group as behind the admin key.</summary>
    public static TBuilder AdminOnly<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AdminRouteMetadata.Instance);

    /// <summary>An image route: WebP, JPEG, PNG or AVIF bodies, 304 on revalidation, placeholders and 429.</summary>
    public static RouteHandlerBuilder Image(this RouteHandlerBuilder builder) => builder.WithMetadata(ImageRouteMetadata.Instance);

    /// <summary>A query parameter the handler reads itself.</summary>
    public static RouteHandlerBuilder Query(this RouteHandlerBuilder builder, string name, string description, string type = "string", bool repeatable = false) =>
        builder.WithMetadata(new QueryParameterMetadata(name, description, type, repeatable));

    /// <summary>Problem-details answers (RFC 9457), as every 4xx/5xx JSON error of Tessera is written.</summary>
    public static RouteHandlerBuilder Problems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }

    /// <summary>A JSON request body read from a source-generated context (the handler reads it itself, with a cap). Not
    /// <c>Accepts&lt;T&gt;</c>: its metadata also makes routing refuse other content types with 415, before the admin key's 401.</summary>
    public static RouteHandlerBuilder Body<T>(this RouteHandlerBuilder builder, bool optional = false) where T : notnull =>
        builder.WithMetadata(new RequestBodyMetadata(typeof(T), optional));
}
