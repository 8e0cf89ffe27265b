using System.Text.Json;
using System.Text.Json.Serialization;
using Tessera.Core.Cache;
using Tessera.Core.Health;
using Tessera.Core.Stats;

namespace Tessera.Cli.Commands;

/// <summary>The --json output of status, health and negatives, written without reflection (NativeAOT): the web
/// defaults (camelCase, as the HTTP API), indented for a terminal.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(StatsReport))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(List<NegativeView>))]
internal sealed partial class CliJson : JsonSerializerContext;
