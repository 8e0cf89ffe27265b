namespace Tessera.Server.OpenApi;

/// <summary>On a route behind the admin key: the document lists the key schemes and the 401/403 answers.</summary>
internal sealed class AdminRouteMetadata
{
    public static readonly AdminRouteMetadata Instance = new();
}

/// <summary>On an image route (/t/, /i/, /r/, /c/): the document lists image bodies, 304, 404 and 429.</summary>
internal sealed class ImageRouteMetadata
{
    public static readonly ImageRouteMetadata Instance = new();
}

/// <summary>A query parameter a handler reads from the request itself rather than from its signature.</summary>
internal sealed record QueryParameterMetadata(string Name, string Description, string Type = "string", bool Repeatable = false);

/// <summary>The JSON body a handler reads itself: described in the document only, with no effect on routing.</summary>
internal sealed record RequestBodyMetadata(Type Type, bool Optional);

/// <summary>A form body (application/x-www-form-urlencoded) a handler reads itself: its string fields, described only.</summary>
internal sealed record FormBodyMetadata(params string[] Fields);
