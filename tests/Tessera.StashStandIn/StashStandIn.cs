using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tessera.Tests.Support.StashStandIn;

/// <summary>How the next GraphQL requests fail.</summary>
public enum StandInFailure
{
    Status500,
    Drop,
}

/// <summary>A loopback Stash: a real Kestrel on 127.0.0.1 serving <c>POST /graphql</c> for the catalog's operations
/// over an in-memory data set, and the entities' images, both only with the <c>ApiKey</c> header (GraphQL: 401; images:
/// a redirect to <c>/login</c>, as Stash does). Every operation is validated against <see cref="StashSchema"/> first
/// (HTTP 422 like Stash). Knobs let tests change the data, fail requests, shorten a listing or skew a count.</summary>
public sealed class StashStandIn : IAsyncDisposable
{
    public const string DefaultKey = "stand-in-secret-key-0123456789";

    private readonly WebApplication _app;
    private readonly StandInGraphQl _graphQl;
    private readonly ConcurrentQueue<StandInFailure> _failures = new();
    private readonly ConcurrentQueue<string> _operations = new();
    private readonly ConcurrentDictionary<string, byte[]> _images = new(StringComparer.Ordinal);
    private int _graphQlRequests;
    private int _imageRequests;
    private int _shortListings;
    private int _listingsAnswered;
    private (int After, Action Action)? _afterListing;

    private StashStandIn(WebApplication app, StandInData data)
    {
        _app = app;
        Data = data;
        _graphQl = new StandInGraphQl(this);
    }

    public StandInData Data { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public string ApiKey { get; set; } = DefaultKey;

    /// <summary>Added to every listing's count (a wrong count).</summary>
    public int CountSkew { get; set; }

    /// <summary>The clock mutations stamp updated_at with.</summary>
    public DateTimeOffset Now { get; set; } = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public int GraphQlRequests => Volatile.Read(ref _graphQlRequests);

    public int ImageRequests => Volatile.Read(ref _imageRequests);

    /// <summary>Every operation text received, valid or not.</summary>
    public IReadOnlyList<string> Operations => [.. _operations];

    /// <summary>Starts the stand-in on <paramref name="url"/> (default: a free loopback port).</summary>
    public static async Task<StashStandIn> StartAsync(StandInSize? size = null, string url = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var standIn = new StashStandIn(app, new StandInData(size ?? new StandInSize()));
        app.Run(standIn.HandleAsync);
        await app.StartAsync();
        standIn.BaseAddress = new Uri(app.Urls.Single() + "/");
        return standIn;
    }

    public void FailNext(int count, StandInFailure failure = StandInFailure.Status500)
    {
        for (var i = 0; i < count; i++)
        {
            _failures.Enqueue(failure);
        }
    }

    /// <summary>The next listing answers one item fewer than it should (its count stays right).</summary>
    public void ShortListingNext() => Interlocked.Increment(ref _shortListings);

    /// <summary>Runs <paramref name="action"/> once, right after the <paramref name="pages"/>-th listing page from now is
    /// answered (a change upstream between two pages of a listing).</summary>
    public void AfterListingPages(int pages, Action action) =>
        _afterListing = (Volatile.Read(ref _listingsAnswered) + pages, action);

    internal void ListingAnswered()
    {
        var answered = Interlocked.Increment(ref _listingsAnswered);
        if (_afterListing is { } hook && answered == hook.After)
        {
            _afterListing = null;
            hook.Action();
        }
    }

    /// <summary>Changes an entity (and stamps its updated_at with <see cref="Now"/>).</summary>
    public StandInEntity Update(string type, long id, Action<StandInEntity>? change = null)
    {
        var entity = Data.Get(type, id) ?? throw new ArgumentException($"no {type} {id}");
        change?.Invoke(entity);
        entity.UpdatedAt = Now;
        Data.Put(entity);
        return entity;
    }

    public StandInEntity Add(string type, string title)
    {
        var entity = new StandInEntity(type, Data.NextId(type)) { CreatedAt = Now, UpdatedAt = Now };
        entity.Fields[type is "scenes" or "galleries" ? "title" : "name"] = title;
        if (type == "scenes")
        {
            entity.Fields["basename"] = $"new-{entity.Id}.mp4";
            entity.Fields["size"] = 1234L;
            entity.Fields["duration"] = 12.5;
        }

        Data.Put(entity);
        return entity;
    }

    public bool Delete(string type, long id) => Data.Remove(type, id);

    internal bool TakeShortListing()
    {
        while (true)
        {
            var n = Volatile.Read(ref _shortListings);
            if (n <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _shortListings, n - 1, n) == n)
            {
                return true;
            }
        }
    }

    /// <summary>The URL Stash gives for an entity's image: <c>?t=</c> its version, or its generic default.</summary>
    internal string ImageUrl(StandInEntity entity, string kind)
    {
        var singular = entity.Type == "galleries" ? "gallery" : entity.Type[..^1];
        var hasImage = entity.HasImage && !(kind == "backimage" && entity.Id % 2 == 1);
        return new Uri(BaseAddress, $"{singular}/{entity.Id}/{kind}{(hasImage ? $"?t={entity.ImageVersion}" : "?default=true")}").AbsoluteUri;
    }

    private bool Authorized(HttpContext context) => context.Request.Headers["ApiKey"] == ApiKey;

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path == "/graphql" && HttpMethods.IsPost(context.Request.Method))
        {
            Interlocked.Increment(ref _graphQlRequests);
            await GraphQlAsync(context);
            return;
        }

        if (path == "/login")
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><body>Login</body></html>");
            return;
        }

        var parts = path.Trim('/').Split('/');
        if (parts.Length == 3 && HttpMethods.IsGet(context.Request.Method))
        {
            Interlocked.Increment(ref _imageRequests);
            await ImageAsync(context, parts[0], parts[1], parts[2]);
            return;
        }

        context.Response.StatusCode = 404;
    }

    private async Task GraphQlAsync(HttpContext context)
    {
        if (_failures.TryDequeue(out var failure))
        {
            if (failure == StandInFailure.Drop)
            {
                context.Abort();
                return;
            }

            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("internal error");
            return;
        }

        if (!Authorized(context))
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("Unauthorized");
            return;
        }

        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var query = body.RootElement.GetProperty("query").GetString() ?? "";
        _operations.Enqueue(query);
        var variables = body.RootElement.TryGetProperty("variables", out var v) ? v : default;
        GraphQLOperationDefinition? operation;
        string? error;
        try
        {
            operation = Parser.Parse(query).Definitions.OfType<GraphQLOperationDefinition>().Single();
            error = StashSchema.Validate(operation, variables);
        }
        catch (GraphQLParserException e)
        {
            operation = null;
            error = e.Message;
        }

        context.Response.ContentType = "application/json";
        if (error is not null)
        {
            context.Response.StatusCode = 422;
            var errors = new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject { ["message"] = error, ["extensions"] = new JsonObject { ["code"] = "GRAPHQL_VALIDATION_FAILED" } }),
                ["data"] = null,
            };
            await context.Response.WriteAsync(errors.ToJsonString());
            return;
        }

        await context.Response.WriteAsync(_graphQl.Execute(operation!, variables).ToJsonString());
    }

    private async Task ImageAsync(HttpContext context, string singular, string id, string kind)
    {
        if (!Authorized(context))
        {
            context.Response.Redirect("/login");
            return;
        }

        var type = singular == "gallery" ? "galleries" : singular + "s";
        if (!StandInData.Types.Contains(type) || !long.TryParse(id, CultureInfo.InvariantCulture, out var n) || Data.Get(type, n) is not { } entity)
        {
            context.Response.StatusCode = 404;
            return;
        }

        var isDefault = context.Request.Query["default"] == "true" || !entity.HasImage;
        var key = isDefault ? "default" : $"{type}/{n}/{kind}/{entity.ImageVersion}";
        var bytes = _images.GetOrAdd(key, _ => isDefault
            ? StandInImages.SolidJpeg(16, 16, 128, 128, 128)
            : StandInImages.SolidJpeg(32, 24, (byte)(n * 37 % 256), (byte)(kind.Length * 40 % 256), (byte)(entity.ImageVersion * 60 % 256)));
        context.Response.ContentType = "image/jpeg";
        await context.Response.Body.WriteAsync(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
