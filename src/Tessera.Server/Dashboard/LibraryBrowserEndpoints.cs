using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Core;
using Tessera.Core.Access;
using Tessera.Core.Presets;
using Tessera.Core.Signing;
using Tessera.Core.Sources;
using Tessera.Server.Endpoints;

namespace Tessera.Server.Dashboard;

/// <summary>GET /api/libraries (what is served: libraries, presets, catalogs) and GET
/// /api/libraries/{library}/folders/{path} (one folder of a folder library), both admin.</summary>
internal static class LibraryBrowserEndpoints
{
    public static void MapLibraryBrowser(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/libraries").AddEndpointFilter(AdminEndpoints.RequireApiKey);
        admin.MapGet("", List)
            .WithName("ListLibraries").WithSummary("The libraries (folder and item libraries, with their access mode), presets and catalogs served")
            .Produces<LibrariesDocument>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        admin.MapGet("/{library}/folders/{**path}", Folder)
            .WithName("ListLibraryFolder").WithSummary("A folder of a folder library: its subfolders and media files with thumbnail URLs (signed when the library is)")
            .Produces<FolderDocument>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult List(TesseraOptions options, PresetCatalog presets)
    {
        var libraries = options.Libraries.Keys.Select(n => new LibraryEntry(n, "folder", Mode(options, n)))
            .Concat(options.Providers.Keys.Select(n => new LibraryEntry(n, "items", Mode(options, n))))
            .OrderBy(l => l.Name, StringComparer.Ordinal).ToList();
        var presetList = presets.All.Select(p => new PresetEntry(p.Name, p.Width, p.Height, p.Format.ToString().ToLowerInvariant())).ToList();
        var catalogs = options.Catalogs.Select(c => new CatalogEntry(c.Key, c.Value.Kind)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        return Results.Json(new LibrariesDocument(libraries, presetList, catalogs), DashboardJson.Default.LibrariesDocument);
    }

    private static IResult Folder(IReadOnlyDictionary<string, FolderLibrary> libraries, TesseraOptions options, PresetCatalog presets, UrlSigner signer,
        TimeProvider clock, string library, string? path, string? preset, int? offset, int? limit)
    {
        if (!libraries.TryGetValue(library, out var folderLibrary))
        {
            return Results.Problem(detail: $"unknown folder library '{library}'", statusCode: StatusCodes.Status404NotFound);
        }

        var grid = preset ?? (presets.TryGet("grid", out _) ? "grid" : presets.All.First().Name);
        if (!presets.TryGet(grid, out _))
        {
            return Results.Problem(detail: $"unknown preset '{grid}'", statusCode: StatusCodes.Status400BadRequest);
        }

        var relative = (path ?? "").Trim('/');
        var listing = FolderListing.Read(folderLibrary, relative);
        if (listing.Problem is { } problem)
        {
            return Results.Problem(detail: problem, statusCode: listing.Status);
        }

        var detail = presets.TryGet("detail", out _) ? "detail" : presets.All.MaxBy(p => p.Width * p.Height)!.Name;
        var signing = options.Access.ModeOf(library) == AccessMode.Signed ? (signer, clock.GetUtcNow() + options.Access.ManifestExpiry) : ((UrlSigner, DateTimeOffset)?)null;
        var thumbs = new ManifestUrls(library, grid, null, "cover", signing);
        var details = new ManifestUrls(library, detail, null, "cover", signing);
        var skip = Math.Max(0, offset ?? 0);
        var take = Math.Clamp(limit ?? 200, 1, 1000);
        var files = listing.Files.Skip(skip).Take(take)
            .Select(f => new FileEntry(f.Name, f.Path, f.Kind.ToString().ToLowerInvariant(), f.Size, thumbs.ForPath(f.Path), details.ForPath(f.Path))).ToList();
        var parent = relative.Length == 0 ? null : relative.Contains('/', StringComparison.Ordinal) ? relative[..relative.LastIndexOf('/')] : "";
        var next = skip + take < listing.Files.Count ? skip + take : (int?)null;
        return Results.Json(new FolderDocument(library, relative, parent, listing.Folders, files, listing.Files.Count, skip, next), DashboardJson.Default.FolderDocument);
    }

    private static string Mode(TesseraOptions options, string name) => options.Access.ModeOf(name).ToString().ToLowerInvariant();
}
