using System.Collections.Concurrent;
using System.Text.Json;
using CityTwin.Web.Features.Interop;

namespace CityTwin.Web.Features.JsonLd;

/// <summary>
/// Turns an <c>@context</c> (from a body or a Link header) into a <see cref="JsonLdContext"/>, always ending with the
/// NGSI-LD core context. Embedded standard documents and CityTwin's own context are served from memory; another
/// remote context is fetched once with a timeout and cached — a failure is <c>LdContextNotAvailable</c>, never a hang.
/// Contexts of <c>CityTwin:JsonLd:ContextDirectory</c> are in the cache from the start.
/// </summary>
public sealed class ContextResolver(IHttpClientFactory httpFactory, ILogger<ContextResolver> logger, Microsoft.Extensions.Options.IOptions<JsonLdOptions> options)
{
    public const string HttpClientName = "jsonld-contexts";
    private const int MaxDepth = 6;

    private readonly ConcurrentDictionary<string, JsonElement> _documents = Preload(options.Value, logger);
    private readonly ConcurrentDictionary<string, JsonLdContext> _resolved = new(StringComparer.Ordinal);

    private static readonly Lazy<JsonElement> Core = new(() => ContextOf(StandardDocuments.Read(StandardDocuments.Contexts[StandardDocuments.CoreContextV19])));

    /// <summary>The core context alone (plain JSON without a Link header).</summary>
    public JsonLdContext CoreOnly => _resolved.GetOrAdd("", _ => new JsonLdContext.Builder().Add(Core.Value).Build());

    /// <summary>CityTwin's context followed by the core context: the default for files that carry none.</summary>
    public JsonLdContext CityTwinDefault => _resolved.GetOrAdd("citytwin", _ => new JsonLdContext.Builder().Add(CityTwinContext.Terms).Add(Core.Value).Build());

    public Task<JsonLdContext> ResolveAsync(JsonElement context, CancellationToken ct = default) =>
        ResolveAsync(context.GetRawText(), (builder, token) => AddAsync(builder, context, 0, token), ct);

    /// <summary>The context of a Link header (or one chosen by the user).</summary>
    public Task<JsonLdContext> ResolveUrlAsync(string url, CancellationToken ct = default) =>
        ResolveAsync("link:" + url, (builder, token) => AddUrlAsync(builder, url, 0, token), ct);

    private async Task<JsonLdContext> ResolveAsync(string key, Func<JsonLdContext.Builder, CancellationToken, Task> add, CancellationToken ct)
    {
        if (_resolved.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var builder = new JsonLdContext.Builder();
        await add(builder, ct);
        builder.Add(Core.Value);
        return _resolved.GetOrAdd(key, builder.Build());
    }

    private async Task AddUrlAsync(JsonLdContext.Builder builder, string url, int depth, CancellationToken ct)
    {
        if (IsCityTwin(url))
        {
            builder.Add(CityTwinContext.Terms);
            return;
        }

        await AddAsync(builder, await DocumentAsync(url, ct), depth + 1, ct);
    }

    private async Task AddAsync(JsonLdContext.Builder builder, JsonElement context, int depth, CancellationToken ct)
    {
        if (depth > MaxDepth)
        {
            throw new JsonLdException("LdContextNotAvailable", "The @context nests other contexts too deeply.");
        }

        switch (context.ValueKind)
        {
            case JsonValueKind.String:
                await AddUrlAsync(builder, context.GetString()!, depth, ct);
                return;
            case JsonValueKind.Array:
                foreach (var item in context.EnumerateArray())
                {
                    await AddAsync(builder, item, depth + 1, ct);
                }

                return;
            case JsonValueKind.Object:
                builder.Add(context);
                return;
            case JsonValueKind.Null:
                return;
            default:
                throw new JsonLdException("InvalidRequest", "@context must be a URL, an object or an array of them.");
        }
    }

    private static bool IsCityTwin(string url) =>
        url.EndsWith(CityTwinContext.Path, StringComparison.Ordinal) || url == CityTwinContext.Path;

    private async Task<JsonElement> DocumentAsync(string url, CancellationToken ct)
    {
        if (_documents.TryGetValue(url, out var known))
        {
            return known;
        }

        if (StandardDocuments.Contexts.TryGetValue(url, out var resource))
        {
            return _documents.GetOrAdd(url, ContextOf(StandardDocuments.Read(resource)));
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new JsonLdException("LdContextNotAvailable", $"The @context '{url}' is not an http(s) URL.");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var client = httpFactory.CreateClient(HttpClientName);
            using var response = await client.GetAsync(uri, timeout.Token);
            response.EnsureSuccessStatusCode();
            if (response.Content.Headers.ContentLength is > 1_000_000)
            {
                throw new JsonLdException("LdContextNotAvailable", $"The @context '{url}' is larger than 1 MB.");
            }

            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            return _documents.GetOrAdd(url, ContextOf(text));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("JSON-LD context {Url} could not be loaded: {Reason}", url, e.Message);
            throw new JsonLdException("LdContextNotAvailable", $"The @context '{url}' could not be retrieved: {e.Message}");
        }
    }

    private static ConcurrentDictionary<string, JsonElement> Preload(JsonLdOptions options, ILogger logger)
    {
        var documents = new ConcurrentDictionary<string, JsonElement>(StringComparer.Ordinal);
        if (options.ContextDirectory is { Length: > 0 } directory)
        {
            foreach (var (url, text) in JsonLdOptions.LoadDirectory(directory))
            {
                documents[url] = ContextOf(text);
            }

            logger.LogInformation("Pre-loaded {Count} JSON-LD contexts from {Directory}", documents.Count, directory);
        }

        return documents;
    }

    /// <summary>The <c>@context</c> member of a context document.</summary>
    private static JsonElement ContextOf(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.TryGetProperty("@context", out var context)
            ? context.Clone()
            : throw new JsonException("The document has no @context member.");
    }
}
