using System.Globalization;
using System.Text.Json;
using CityTwin.Web.Features.JsonLd;
using Microsoft.Extensions.Options;
using static CityTwin.Web.Features.NgsiLd.NgsiLdEndpoints;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>
/// Temporal retrieval and query (5.7.3, 5.7.4, 6.18–6.19, 6.24) over the registry's observations: GET
/// /temporal/entities/{id}, GET /temporal/entities, POST /temporal/entityOperations/query. Time series come from
/// sensors (the demo city's feeds, imports); the temporal provision endpoints answer OperationNotSupported.
/// </summary>
public static class NgsiLdTemporalEndpoints
{
    private static readonly HashSet<string> RetrieveParameters = new(StringComparer.Ordinal)
    {
        "attrs", "pick", "omit", "timerel", "timeAt", "endTimeAt", "timeproperty", "lastN", "options", "format", "aggrMethods", "aggrPeriodDuration", "lang", "local",
    };

    private static readonly HashSet<string> QueryParameters = new(RetrieveParameters, StringComparer.Ordinal)
    {
        "type", "id", "idPattern", "q", "georel", "geometry", "coordinates", "geoproperty", "scopeQ", "limit", "offset", "count",
    };

    public static RouteGroupBuilder MapNgsiLdTemporal(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/temporal/entities/{id}", RetrieveAsync).Doc("Retrieve Temporal Evolution of an Entity (5.7.3): the entity's observations; timerel/timeAt/endTimeAt, lastN, attrs, options=temporalValues|aggregatedValues with aggrMethods and aggrPeriodDuration; 206 with Content-Range when partial", false, 200, 206);
        group.MapGet("/temporal/entities", QueryAsync).Doc("Query Temporal Evolution of Entities (5.7.4): the selection of Query Entities plus the temporal parameters", false, 200, 206);
        group.MapPost("/temporal/entityOperations/query", QueryViaPostAsync).Doc("Query Temporal Evolution via POST (6.24): a Query body with temporalQ", true, 200, 206);
        group.MapMethods("/temporal/entities", ["POST"], (Delegate)NotSupported).RequireAuthorization(Security.Policies.ApiWrite);
        group.MapMethods("/temporal/entities/{id}", ["DELETE"], (Delegate)NotSupported).RequireAuthorization(Security.Policies.ApiWrite);
        group.MapMethods("/temporal/entities/{id}/attrs", ["POST"], (Delegate)NotSupported).RequireAuthorization(Security.Policies.ApiWrite);
        group.MapMethods("/temporal/entities/{id}/attrs/{attr}", ["DELETE"], (Delegate)NotSupported).RequireAuthorization(Security.Policies.ApiWrite);
        group.MapMethods("/temporal/entities/{id}/attrs/{attr}/{instanceId}", ["PATCH", "DELETE"], (Delegate)NotSupported).RequireAuthorization(Security.Policies.ApiWrite);
        return group;
    }

    private static Task<IResult> NotSupported(HttpContext http) => Run(http, () => throw new NgsiLdException(NgsiLdErrors.OperationNotSupported,
        "The registry's time series are its sensors' observations (demo feeds, imports); they are read here, not written through the temporal API."));

    private static Func<string, string?> Parameters(IQueryCollection query) =>
        name => query[name].FirstOrDefault() is { Length: > 0 } v ? v : null;

    /// <summary>GET /temporal/entities/{id}.</summary>
    private static Task<IResult> RetrieveAsync(HttpContext http, string id, ContextResolver contexts, NgsiEntityStore entities, NgsiTemporalStore temporal,
        IOptions<NgsiLdOptions> options) => Run(http, async () =>
    {
        var media = NgsiLdHttp.Negotiate(http.Request, geoJson: false);
        if (media is null)
        {
            return NotAcceptable();
        }

        CheckParameters(http.Request.Query, RetrieveParameters);
        id = EntityId(id);
        var (context, linkUrl) = await NgsiLdHttp.LinkContextAsync(http.Request, contexts, http.RequestAborted);
        var param = Parameters(http.Request.Query);
        var query = NgsiTemporalQuery.Parse(param);
        var attrs = Projection(param("attrs") ?? param("pick"), context);
        var entity = await entities.FindAsync(id, PublicOnly(http), http.RequestAborted) ?? throw NgsiLdException.NotFound(id);
        var series = await temporal.ReadAsync(id, attrs, query, options.Value.TemporalLimit, http.RequestAborted);
        var range = Cut([series], query);
        return Answer(http, media, linkUrl, range, w => NgsiTemporalWriter.Write(w, entity, series, query, context, Body(media, linkUrl, null)));
    });

    /// <summary>GET /temporal/entities.</summary>
    private static Task<IResult> QueryAsync(HttpContext http, ContextResolver contexts, NgsiEntityStore entities, NgsiTemporalStore temporal,
        IOptions<NgsiLdOptions> options) => Run(http, async () =>
    {
        var media = NgsiLdHttp.Negotiate(http.Request, geoJson: false);
        if (media is null)
        {
            return NotAcceptable();
        }

        CheckParameters(http.Request.Query, QueryParameters);
        var (context, linkUrl) = await NgsiLdHttp.LinkContextAsync(http.Request, contexts, http.RequestAborted);
        var param = Parameters(http.Request.Query);
        var selection = new Selection(param("type"), param("id"), param("idPattern"), param("q"), param("georel"), param("geometry"), param("coordinates"),
            param("geoproperty"), param("attrs") ?? param("pick")) { ScopeQ = param("scopeQ") };
        return await RunQueryAsync(http, entities, temporal, options.Value, selection, NgsiTemporalQuery.Parse(param), context, media, linkUrl, null);
    });

    /// <summary>POST /temporal/entityOperations/query: a Query body whose temporalQ holds the time relation.</summary>
    private static Task<IResult> QueryViaPostAsync(HttpContext http, ContextResolver contexts, NgsiEntityStore entities, NgsiTemporalStore temporal,
        IOptions<NgsiLdOptions> options) => Run(http, async () =>
    {
        if (!NgsiLdHttp.IsAcceptableBody(http.Request, mergePatch: false))
        {
            return UnsupportedMediaType();
        }

        var media = NgsiLdHttp.Negotiate(http.Request, geoJson: false);
        if (media is null)
        {
            return NotAcceptable();
        }

        CheckParameters(http.Request.Query, new HashSet<string>(["limit", "offset", "count", "options", "format", "lastN", "aggrMethods", "aggrPeriodDuration", "local"], StringComparer.Ordinal));
        var body = await NgsiLdHttp.ReadBodyAsync(http.Request, contexts, http.RequestAborted);
        if (body.Json.ValueKind != JsonValueKind.Object || !body.Json.TryGetProperty("type", out var kind) || kind.GetString() != "Query")
        {
            throw NgsiLdException.BadData("The body of a query is an object with \"type\": \"Query\".");
        }

        var selection = SelectionOf(body.Json);
        var temporalQ = body.Json.TryGetProperty("temporalQ", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
        var queryParam = Parameters(http.Request.Query);
        string? Param(string name) =>
            temporalQ.ValueKind == JsonValueKind.Object && temporalQ.TryGetProperty(name, out var v)
                ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()
                : queryParam(name);
        var linkUrl = NgsiLdHttp.LinkUrl(http.Request);
        JsonElement? ownContext = body.Json.TryGetProperty("@context", out var c) ? c : null;
        return await RunQueryAsync(http, entities, temporal, options.Value, selection, NgsiTemporalQuery.Parse(Param), body.Context, media, linkUrl, ownContext);
    });

    private static async Task<IResult> RunQueryAsync(HttpContext http, NgsiEntityStore entities, NgsiTemporalStore temporal, NgsiLdOptions options, Selection selection,
        NgsiTemporalQuery query, JsonLdContext context, string media, string? linkUrl, JsonElement? ownContext)
    {
        var param = Parameters(http.Request.Query);
        if (selection.Types is null && selection.Attrs is null && selection.Q is null && selection.GeoRel is null && selection.Ids is null)
        {
            throw NgsiLdException.BadData("Query Temporal Evolution of Entities needs at least one of type, id, attrs, q or georel.");
        }

        var (limit, offset, count) = Paging(param, options);
        var filter = Filter(selection, context);
        var attrs = Projection(selection.Attrs, context);

        // Only entities with observations have a temporal evolution here: the selection runs over those.
        var sources = await temporal.SourcesAsync(attrs, http.RequestAborted);
        if (filter.Ids is { } ids)
        {
            sources.IntersectWith(ids);
        }

        var (page, total) = await entities.QueryAsync(filter.Types, sources, PublicOnly(http), filter.Matches, offset, limit, http.RequestAborted, filter.Q, filter.Geo, total: count);
        if (count)
        {
            http.Response.Headers["NGSILD-Results-Count"] = total.ToString(CultureInfo.InvariantCulture);
        }

        var results = new List<(NgsiEntity Entity, List<TemporalAttribute> Series)>(page.Count);
        foreach (var entity in page)
        {
            results.Add((entity, await temporal.ReadAsync(entity.Id, attrs, query, options.TemporalLimit, http.RequestAborted)));
        }

        var range = Cut([.. results.Select(r => r.Series)], query);
        return Answer(http, media, linkUrl, range, w =>
        {
            w.WriteStartArray();
            foreach (var (entity, series) in results)
            {
                NgsiTemporalWriter.Write(w, entity, series, query, context, Body(media, linkUrl, ownContext));
            }

            w.WriteEndArray();
        });
    }

    private static System.Text.Json.Nodes.JsonNode? Body(string media, string? linkUrl, JsonElement? ownContext) =>
        media == NgsiLdHttp.Json ? null : NgsiLdHttp.BodyContext(linkUrl, ownContext);

    /// <summary>
    /// When an attribute was cut at the instance limit, cuts every attribute at the same instant (so a client that
    /// continues from there misses nothing, 6.3.10) and returns the Content-Range of the partial answer.
    /// </summary>
    private static string? Cut(List<List<TemporalAttribute>> answer, NgsiTemporalQuery query)
    {
        var truncated = answer.SelectMany(a => a).Where(a => a.Truncated && a.Instances.Count > 0).ToList();
        if (truncated.Count == 0 || query.Format == TemporalFormat.Aggregated)
        {
            return null;
        }

        var all = answer.SelectMany(a => a).SelectMany(a => a.Instances).ToList();
        var (from, to) = query.Range;
        string range;
        if (query.LastN is { } n)
        {
            // Most recent first: from the end of the range (or the newest instance) back to the cut.
            var cut = truncated.Max(a => a.Instances[0].At);
            Keep(answer, at => at >= cut);
            var start = to != long.MaxValue ? to : all.Max(i => i.At);
            range = $"date-time {NgsiTemporalWriter.Instant(start)}-{NgsiTemporalWriter.Instant(cut)}/{n.ToString(CultureInfo.InvariantCulture)}";
        }
        else
        {
            var cut = truncated.Min(a => a.Instances[^1].At);
            Keep(answer, at => at <= cut);
            var start = from != long.MinValue ? from : all.Min(i => i.At);
            range = $"date-time {NgsiTemporalWriter.Instant(start)}-{NgsiTemporalWriter.Instant(cut)}/*";
        }

        return range;
    }

    private static void Keep(List<List<TemporalAttribute>> answer, Func<long, bool> keep)
    {
        foreach (var series in answer)
        {
            for (var i = 0; i < series.Count; i++)
            {
                series[i] = series[i] with { Instances = [.. series[i].Instances.Where(x => keep(x.At))] };
            }
        }
    }

    private static JsonBodyResult Answer(HttpContext http, string media, string? linkUrl, string? range, Action<Utf8JsonWriter> write)
    {
        if (range is not null)
        {
            http.Response.Headers.ContentRange = range;
        }

        return new JsonBodyResult(media, linkUrl, write, range is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent);
    }
}
