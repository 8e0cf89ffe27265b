using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Server.Dashboard;

/// <summary>GET /api/session.</summary>
internal sealed record SessionDocument(bool SignedIn, bool AdminEnabled);

/// <summary>GET /api/stats/history: one sample a minute, oldest first.</summary>
internal sealed record StatsHistoryDocument(int IntervalSeconds, IReadOnlyList<StatsSample> Samples);

/// <summary>GET /api/libraries: what the server serves, for the dashboard's pickers.</summary>
internal sealed record LibrariesDocument(IReadOnlyList<LibraryEntry> Libraries, IReadOnlyList<PresetEntry> Presets, IReadOnlyList<CatalogEntry> Catalogs);

internal sealed record LibraryEntry(string Name, string Kind, string Access);

internal sealed record PresetEntry(string Name, int Width, int Height, string Format);

internal sealed record CatalogEntry(string Name, string Kind);

/// <summary>GET /api/libraries/{library}/folders/{path}: one folder's subfolders and media files, with thumbnail URLs.</summary>
internal sealed record FolderDocument(string Library, string Path, string? Parent, IReadOnlyList<FolderEntry> Folders, IReadOnlyList<FileEntry> Files,
    int TotalFiles, int Offset, int? Next);

internal sealed record FolderEntry(string Name, string Path);

internal sealed record FileEntry(string Name, string Path, string Kind, long Size, string Thumb, string Detail);

/// <summary>The dashboard's bodies, without reflection (NativeAOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SessionDocument))]
[JsonSerializable(typeof(StatsHistoryDocument))]
[JsonSerializable(typeof(LibrariesDocument))]
[JsonSerializable(typeof(FolderDocument))]
internal sealed partial class DashboardJson : JsonSerializerContext;
