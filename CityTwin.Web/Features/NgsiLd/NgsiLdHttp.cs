using System.Text.Json;
using System.Text.Json.Nodes;
using CityTwin.Web.Features.JsonLd;
using Microsoft.Net.Http.Headers;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>A request body read by the NGSI-LD rules: the JSON, the context that expands it, and where it came from.</summary>
public sealed record NgsiLdBody(JsonElement Json, JsonLdContext Context, bool LdJson);

/// <summary>
/// The NGSI-LD HTTP binding rules (6.3.4–6.3.6): accepted request media types (415), response negotiation (406),
/// where the @context comes from (Link header or body, never both), the Link header on responses, ProblemDetails.
/// </summary>
public static class NgsiLdHttp
{
    /// <summary>The ETag of an entity version: weak, as every representation (format, options, context) of one version shares it.</summary>
    public static string ETag(long version) => $"W/\"{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The entity versions an <c>If-Match</c> header accepts: null when there is none or it is <c>*</c> (any existing
    /// entity); otherwise the versions of its entity tags (weak or strong; a tag that is not one of ours matches nothing).
    /// </summary>
    public static IReadOnlyCollection<long>? IfMatch(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = request.Headers.IfMatch;
        if (values.Count == 0)
        {
            return null;
        }

        var versions = new List<long>();
        foreach (var tag in values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (tag == "*")
            {
                return null;
            }

            var opaque = tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
            if (opaque.Length > 2 && opaque[0] == '"' && opaque[^1] == '"' &&
                long.TryParse(opaque.AsSpan(1, opaque.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
            {
                versions.Add(version);
            }
        }

        return versions;
    }

    public const string Json = "application/json";
    public const string LdJson = "application/ld+json";
    public const string GeoJson = "application/geo+json";
    public const string MergePatchJson = "application/merge-patch+json";
    public const string ContextRel = "http://www.w3.org/ns/json-ld#context";

    /// <summary>The response media type for the request's Accept header, or null (406). No Accept header means JSON.</summary>
    public static string? Negotiate(HttpRequest request, bool geoJson)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.Headers.Accept.ToString();
        if (string.IsNullOrWhiteSpace(accept))
        {
            return Json;
        }

        if (!MediaTypeHeaderValue.TryParseList([.. request.Headers.Accept.Select(a => a ?? "")], out var types))
        {
            return null;
        }

        string? best = null;
        double bestQuality = 0;
        var rank = 99;
        foreach (var type in types)
        {
            var quality = type.Quality ?? 1.0;
            var media = type.MediaType.Value?.ToLowerInvariant();
            (string? Candidate, int Rank) match = media switch
            {
                Json => (Json, 0),
                LdJson => (LdJson, 1),
                GeoJson when geoJson => (GeoJson, 2),
                "*/*" or "application/*" => (Json, 3),
                _ => (null, 99),
            };
            if (match.Candidate is null || quality <= 0)
            {
                continue;
            }

            if (quality > bestQuality || (quality.Equals(bestQuality) && match.Rank < rank))
            {
                (best, bestQuality, rank) = (match.Candidate, quality, match.Rank);
            }
        }

        return best;
    }

    /// <summary>
    /// The request's @context for an operation without body: the Link header's context, else the core context.
    /// </summary>
    public static async Task<(JsonLdContext Context, string? Url)> LinkContextAsync(HttpRequest request, ContextResolver contexts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        var url = LinkUrl(request);
        return url is null ? (contexts.CoreOnly, null) : (await ResolveAsync(() => contexts.ResolveUrlAsync(url, ct)), url);
    }

    /// <summary>The URL of the Link header with rel json-ld#context (null when there is none; malformed → BadRequestData).</summary>
    public static string? LinkUrl(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = request.Headers.Link;
        if (values.Count == 0)
        {
            return null;
        }

        foreach (var value in values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var open = value.IndexOf('<', StringComparison.Ordinal);
            var close = value.IndexOf('>', StringComparison.Ordinal);
            if (open != 0 || close < 0)
            {
                throw NgsiLdException.BadData($"The Link header '{value}' is not '<url>; rel=\"{ContextRel}\"'.");
            }

            var parameters = value[(close + 1)..];
            if (parameters.Contains(ContextRel, StringComparison.Ordinal))
            {
                var url = value[1..close].Trim();
                return Uri.TryCreate(url, UriKind.Absolute, out _) ? url : throw NgsiLdException.BadData($"The Link header's context '{url}' is not an absolute URL.");
            }
        }

        return null;
    }

    /// <summary>
    /// Reads a request body whose media type the caller has checked (<see cref="IsAcceptableBody"/>, 415 otherwise):
    /// larger than the limit is 413, malformed or empty JSON is InvalidRequest; a plain-JSON object must not carry an
    /// @context, a JSON-LD object must carry one and come without a Link header (BadRequestData). Arrays (batches) are
    /// checked entity by entity by the caller.
    /// </summary>
    public static async Task<NgsiLdBody> ReadBodyAsync(HttpRequest request, ContextResolver contexts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(contexts);
        var ld = IsLdJson(request);
        var bytes = await ReadLimitedAsync(request, NgsiLdEndpoints.MaxBodyBytes, ct);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw NgsiLdException.Invalid($"The body is not valid JSON: {e.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement.Clone();
            var link = LinkUrl(request);
            if (ld)
            {
                if (link is not null)
                {
                    throw NgsiLdException.BadData("A JSON-LD body carries its @context: a Link header is not allowed with application/ld+json.");
                }

                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (!root.TryGetProperty("@context", out var own))
                    {
                        throw NgsiLdException.BadData("An application/ld+json body must carry an @context.");
                    }

                    return new NgsiLdBody(root, await ResolveAsync(() => contexts.ResolveAsync(own, ct)), true);
                }

                // An array (batch operations): each entity carries its own @context.
                return new NgsiLdBody(root, contexts.CoreOnly, true);
            }

            if (root.ValueKind == JsonValueKind.Object && HasContext(root))
            {
                throw NgsiLdException.BadData("An application/json body must not carry an @context: send it in a Link header, or send application/ld+json.");
            }

            var context = link is null ? contexts.CoreOnly : await ResolveAsync(() => contexts.ResolveUrlAsync(link, ct));
            return new NgsiLdBody(root, context, false);
        }
    }

    /// <summary>The body, at most <paramref name="limit"/> bytes (whatever the server in front enforces): larger is 413.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadLimitedAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            throw new BodyTooLargeException();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new BodyTooLargeException();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>The body's media type is acceptable for NGSI-LD (PATCH also takes merge-patch+json).</summary>
    public static bool IsAcceptableBody(HttpRequest request, bool mergePatch)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
        {
            return false;
        }

        var media = type.MediaType.Value?.ToLowerInvariant();
        return media is Json or LdJson || (mergePatch && media == MergePatchJson);
    }

    private static bool IsLdJson(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && string.Equals(type.MediaType.Value, LdJson, StringComparison.OrdinalIgnoreCase);

    private static bool HasContext(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Object => root.TryGetProperty("@context", out _),
        JsonValueKind.Array => root.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("@context", out _)),
        _ => false,
    };

    public static async Task<JsonLdContext> ResolveAsync(Func<Task<JsonLdContext>> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        try
        {
            return await resolve();
        }
        catch (JsonLdException e)
        {
            throw new NgsiLdException(e.ErrorType, e.Message);
        }
    }

    /// <summary>The value of a response Link header pointing at a context.</summary>
    public static string LinkHeader(string url) => $"<{url}>; rel=\"{ContextRel}\"; type=\"{LdJson}\"";

    /// <summary>The @context to put in a JSON-LD response body: the request's own, else the Link URL, else the core context.</summary>
    public static JsonNode BodyContext(string? linkUrl, JsonElement? requestContext) =>
        requestContext is { } own ? JsonNode.Parse(own.GetRawText())!
        : JsonValue.Create(linkUrl ?? Interop.CityTwinContext.CoreContext);

    /// <summary>Writes a ProblemDetails response (application/json) for an NGSI-LD error.</summary>
    public static async Task WriteProblemAsync(HttpResponse response, string type, string detail, int status)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = status;
        response.ContentType = Json;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            NgsiLdErrors.Write(w, type, detail, status);
        }

        await response.Body.WriteAsync(buffer.ToArray());
    }
}

/// <summary>The request body is larger than the API accepts (answered 413 without a body).</summary>
public sealed class BodyTooLargeException() : Exception("The request body is too large.");
