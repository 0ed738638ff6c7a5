using System.Text.Json;
using CityTwin.Web.Features.JsonLd;
using CityTwin.Web.Features.Registry;
using CityTwin.Web.Features.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>
/// The NGSI-LD API (ETSI GS CIM 009 V1.9.1, HTTP binding) under <c>/ngsi-ld/v1</c>, over the registry itself.
/// Reads are open (citizens see public entities and attributes only); writes need an API key with write scope or a
/// curator's session. Every failure is a ProblemDetails with the ETSI error type; 415 / 406 come before any lookup.
/// </summary>
public static class NgsiLdEndpoints
{
    public const string Base = "/ngsi-ld/v1";

    /// <summary>The largest request body (bytes): a larger one is 413 before it is read.</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    public static IEndpointRouteBuilder MapNgsiLdEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Base).WithTags("NGSI-LD").DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        group.MapPost("/entities", CreateEntityAsync).Doc("Create Entity (5.6.1): 201 with Location; 409 AlreadyExists", true, 201).RequireAuthorization(Policies.ApiWrite);
        group.MapGet("/entities/{id}", RetrieveEntityAsync).Doc("Retrieve Entity (5.7.1): attrs, pick, omit, options/format, lang, geometryProperty; application/json, application/ld+json or application/geo+json", false, 200);
        group.MapDelete("/entities/{id}", DeleteEntityAsync).Doc("Delete Entity (5.6.6): the asset is decommissioned (kept with its history)", false, 204).RequireAuthorization(Policies.ApiWrite);
        group.MapPut("/entities/{id}", ReplaceEntityAsync).Doc("Replace Entity (5.6.18)", true, 204).RequireAuthorization(Policies.ApiWrite);
        group.MapPatch("/entities/{id}", MergeEntityAsync).Doc("Merge Entity (5.6.17); also application/merge-patch+json; NGSI-LD Null deletes", true, 204).RequireAuthorization(Policies.ApiWrite);
        group.MapMethods("/entities", ["PUT", "PATCH"], (Delegate)MissingEntityIdAsync).RequireAuthorization(Policies.ApiWrite);
        group.MapPost("/entities/{id}/attrs", AppendAttributesAsync).Doc("Append Entity Attributes (5.6.3); options=noOverwrite; 207 UpdateResult", true, 204, 207).RequireAuthorization(Policies.ApiWrite);
        group.MapPatch("/entities/{id}/attrs", UpdateAttributesAsync).Doc("Update Entity Attributes (5.6.2); 207 UpdateResult", true, 204, 207).RequireAuthorization(Policies.ApiWrite);
        group.MapPatch("/entities/{id}/attrs/{attr}", PartialAttributeUpdateAsync).Doc("Partial Attribute Update (5.6.4)", true, 204).RequireAuthorization(Policies.ApiWrite);
        group.MapPut("/entities/{id}/attrs/{attr}", ReplaceAttributeAsync).Doc("Replace Entity Attribute (5.6.19)", true, 204).RequireAuthorization(Policies.ApiWrite);
        group.MapDelete("/entities/{id}/attrs/{attr}", DeleteAttributeAsync).Doc("Delete Entity Attribute (5.6.5); datasetId, deleteAll", false, 204).RequireAuthorization(Policies.ApiWrite);
        group.MapDelete("/entities", PurgeEntitiesAsync).Doc("Purge Entities (5.6.21): type, id, idPattern, q, scopeQ or local=true; keep or drop attributes; matching assets are decommissioned (restorable, with history)", false, 204).RequireAuthorization(Policies.ApiWrite);
        group.MapGet("/entities", QueryEntitiesAsync).Doc("Query Entities (5.7.2): type, id, idPattern, attrs/pick/omit, q, georel+geometry+coordinates+geoproperty, limit, offset, count (NGSILD-Results-Count)", false, 200);
        group.MapPost("/entityOperations/query", QueryViaPostAsync).Doc("Query Entities via POST (6.23): a Query body", true, 200);
        group.MapNgsiLdBatch();
        group.MapNgsiLdDiscovery();
        group.MapNgsiLdTemporal();
        return app;
    }

    /// <summary>OpenAPI description of an NGSI-LD operation: summary, JSON / JSON-LD body, statuses and ProblemDetails errors.</summary>
    internal static RouteHandlerBuilder Doc(this RouteHandlerBuilder endpoint, string summary, bool body, params int[] statuses)
    {
        endpoint.WithSummary(summary);
        if (body)
        {
            endpoint.Accepts<JsonElement>(NgsiLdHttp.LdJson, NgsiLdHttp.Json);
        }

        foreach (var status in statuses)
        {
            endpoint.Produces(status);
        }

        return endpoint.ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>Runs an operation, turning NGSI-LD and JSON-LD failures into ProblemDetails.</summary>
    internal static async Task<IResult> Run(HttpContext http, Func<Task<IResult>> operation)
    {
        try
        {
            return await operation();
        }
        catch (NgsiLdException e)
        {
            return Problem(http, e.Type, e.Message);
        }
        catch (JsonLdException e)
        {
            return Problem(http, e.ErrorType, e.Message);
        }
        catch (Exception e) when (e is BodyTooLargeException || (e is Microsoft.AspNetCore.Http.BadHttpRequestException bad && bad.StatusCode == StatusCodes.Status413PayloadTooLarge))
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            // The client went away mid-body, or sent a malformed request: its status, not a server error.
            return Results.StatusCode(e.StatusCode);
        }
    }

    private static ProblemResult Problem(HttpContext http, string type, string detail)
    {
        var status = NgsiLdErrors.StatusOf(type, http.RequestServices.GetRequiredService<IOptions<NgsiLdOptions>>().Value.ContextNotAvailableStatus);
        return new ProblemResult(type, detail, status);
    }

    /// <summary>A ProblemDetails body with an ETSI error type (application/json, as NGSI-LD requires).</summary>
    private sealed class ProblemResult(string type, string detail, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => NgsiLdHttp.WriteProblemAsync(httpContext.Response, type, detail, status);
    }

    /// <summary>A JSON or JSON-LD body written by <paramref name="write"/>, with the context Link header for plain JSON.</summary>
    internal sealed class JsonBodyResult(string mediaType, string? linkUrl, Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK, bool withLink = true) : IResult
    {
        /// <summary>A plain JSON body without a context Link (201 id lists, 207 results).</summary>
        public static JsonBodyResult Plain(int status, Action<Utf8JsonWriter> write) => new(NgsiLdHttp.Json, null, write, status, withLink: false);

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = mediaType;
            if (withLink && mediaType == NgsiLdHttp.Json)
            {
                response.Headers.Link = NgsiLdHttp.LinkHeader(linkUrl ?? Interop.CityTwinContext.CoreContext);
            }

            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                write(w);
            }

            response.ContentLength = buffer.Length;
            await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), httpContext.RequestAborted);
        }
    }

    /// <summary>Staff and write keys see every entity; anonymous callers and read keys see public entities and attributes.</summary>
    internal static bool PublicOnly(HttpContext http) =>
        !http.User.SeesInternalData();

    internal static IResult UnsupportedMediaType() => Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);

    internal static IResult NotAcceptable() => Results.Text(
        $"Available representations: {NgsiLdHttp.Json}, {NgsiLdHttp.LdJson}, {NgsiLdHttp.GeoJson} (entities only).", "text/plain", statusCode: StatusCodes.Status406NotAcceptable);

    /// <summary>POST /entities (5.6.1): 201, empty body, Location of the new entity.</summary>
    private static Task<IResult> CreateEntityAsync(HttpContext http, ContextResolver contexts, NgsiEntityStore entities) => Run(http, async () =>
    {
        if (!NgsiLdHttp.IsAcceptableBody(http.Request, mergePatch: false))
        {
            return UnsupportedMediaType();
        }

        var body = await NgsiLdHttp.ReadBodyAsync(http.Request, contexts, http.RequestAborted);
        if (body.Json.ValueKind != JsonValueKind.Object)
        {
            throw NgsiLdException.Invalid("The body of Create Entity is one entity (a JSON object).");
        }

        var entity = NgsiEntityReader.Read(body.Json, body.Context);
        await entities.CreateAsync(entity, RegistryCommands.ActorOf(http.User), http.RequestAborted);
        // The id as is (the suite looks for it verbatim); only a non-ASCII IRI is percent-encoded for the header.
        http.Response.Headers.Location = $"{Base}/entities/{(System.Text.Ascii.IsValid(entity.Id) ? entity.Id : Uri.EscapeDataString(entity.Id))}";
        return Results.StatusCode(StatusCodes.Status201Created);
    });

    private static readonly HashSet<string> RetrieveParameters = new(StringComparer.Ordinal)
    {
        "attrs", "pick", "omit", "options", "format", "lang", "geometryProperty", "datasetId", "local", "join", "joinLevel",
        "containedBy", "entityMap", "expandValues", "jsonKeys", "collation",
    };

    /// <summary>GET /entities/{id} (5.7.1): the entity in the negotiated representation.</summary>
    private static Task<IResult> RetrieveEntityAsync(HttpContext http, string id, ContextResolver contexts, NgsiEntityStore entities) => Run(http, async () =>
    {
        var media = NgsiLdHttp.Negotiate(http.Request, geoJson: true);
        if (media is null)
        {
            return NotAcceptable();
        }

        CheckParameters(http.Request.Query, RetrieveParameters);
        id = EntityId(id);

        var (context, linkUrl) = await NgsiLdHttp.LinkContextAsync(http.Request, contexts, http.RequestAborted);
        var how = Representation(http.Request.Query, context, media, linkUrl);
        var entity = await entities.FindAsync(id, PublicOnly(http), http.RequestAborted) ?? throw NgsiLdException.NotFound(id);
        if (!Selects(entity, how))
        {
            throw new NgsiLdException(NgsiLdErrors.ResourceNotFound, $"Entity '{id}' has none of the requested attributes.");
        }

        http.Response.Headers.ETag = NgsiLdHttp.ETag(entity.Version);
        var (joined, linkedRows) = await NgsiJoin.LinkAsync([entity], how, entities, PublicOnly(http), http.RequestAborted);
        if (joined.Join == "flat" && linkedRows.Count > 0)
        {
            // Flat join (4.5.23): the entity and the entities it links to, as an array (018_14: the entity alone when
            // none of its targets exists).
            return new JsonBodyResult(media, linkUrl, w =>
            {
                w.WriteStartArray();
                NgsiEntityWriter.Write(w, entity, joined);
                linkedRows.ForEach(l => NgsiEntityWriter.Write(w, l.Entity, l.How));
                w.WriteEndArray();
            });
        }

        return new JsonBodyResult(media, linkUrl, w => NgsiEntityWriter.Write(w, entity, joined));
    });

    private static readonly HashSet<string> QueryParameters = new(StringComparer.Ordinal)
    {
        "type", "id", "idPattern", "attrs", "pick", "omit", "q", "georel", "geometry", "coordinates", "geoproperty", "geometryProperty",
        "limit", "offset", "count", "options", "format", "lang", "local", "scopeQ", "datasetId", "csf", "join", "joinLevel",
        "containedBy", "entityMap", "expandValues", "jsonKeys", "orderBy", "collation", "orderGeometry", "orderFrom",
    };

    /// <summary>A Query Entities selection, from the query string (GET) or a Query body (POST /entityOperations/query).</summary>
    internal sealed record Selection(string? Types, string? Ids, string? IdPattern, string? Q, string? GeoRel, string? Geometry, string? Coordinates, string? GeoProperty, string? Attrs)
    {
        public string? ScopeQ { get; init; }

        /// <summary>Linked-entity retrieval asked for in a Query body (<c>join</c>, <c>joinLevel</c>).</summary>
        public string? Join { get; init; }

        public string? JoinLevel { get; init; }
    }

    /// <summary>GET /entities (5.7.2): the entities of a selection, paged, in the negotiated representation.</summary>
    private static Task<IResult> QueryEntitiesAsync(HttpContext http, ContextResolver contexts, NgsiEntityStore entities) => Run(http, async () =>
    {
        var media = NgsiLdHttp.Negotiate(http.Request, geoJson: true);
        if (media is null)
        {
            return NotAcceptable();
        }

        var query = http.Request.Query;
        CheckParameters(query, QueryParameters);
        var (context, linkUrl) = await NgsiLdHttp.LinkContextAsync(http.Request, contexts, http.RequestAborted);
        string? Param(string name) => query[name].FirstOrDefault() is { Length: > 0 } v ? v : null;
        var selection = new Selection(Param("type"), Param("id"), Param("idPattern"), Param("q"), Param("georel"), Param("geometry"), Param("coordinates"),
            Param("geoproperty"), Param("attrs") ?? Param("pick")) { ScopeQ = Param("scopeQ") };
        return await QueryAsync(http, entities, selection, context, media, linkUrl, requireFilter: Param("local") != "true");
    });

    /// <summary>POST /entityOperations/query (5.7.2 via 6.23): the selection in a Query body.</summary>
    private static Task<IResult> QueryViaPostAsync(HttpContext http, ContextResolver contexts, NgsiEntityStore entities) => Run(http, async () =>
    {
        if (!NgsiLdHttp.IsAcceptableBody(http.Request, mergePatch: false))
        {
            return UnsupportedMediaType();
        }

        var media = NgsiLdHttp.Negotiate(http.Request, geoJson: true);
        if (media is null)
        {
            return NotAcceptable();
        }

        var body = await NgsiLdHttp.ReadBodyAsync(http.Request, contexts, http.RequestAborted);
        if (body.Json.ValueKind != JsonValueKind.Object || !body.Json.TryGetProperty("type", out var kind) || kind.GetString() != "Query")
        {
            throw NgsiLdException.BadData("The body of a query is an object with \"type\": \"Query\".");
        }

        var selection = SelectionOf(body.Json);
        return await QueryAsync(http, entities, selection, body.Context, media, NgsiLdHttp.LinkUrl(http.Request), requireFilter: true);
    });

    /// <summary>The selection of a Query body (6.23): entities (type, id, idPattern), attrs, q, geoQ.</summary>
    internal static Selection SelectionOf(JsonElement body)
    {
        string? Text(JsonElement parent, string name) => parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var types = new List<string>();
        var ids = new List<string>();
        string? idPattern = null;
        if (body.TryGetProperty("entities", out var selectors) && selectors.ValueKind == JsonValueKind.Array)
        {
            foreach (var selector in selectors.EnumerateArray())
            {
                if (Text(selector, "type") is { } t)
                {
                    types.Add(t);
                }

                if (Text(selector, "id") is { } i)
                {
                    ids.Add(i);
                }

                idPattern ??= Text(selector, "idPattern");
            }
        }

        string? geoRel = null, geometry = null, coordinates = null, geoProperty = null;
        if (body.TryGetProperty("geoQ", out var geo) && geo.ValueKind == JsonValueKind.Object)
        {
            (geoRel, geometry, geoProperty) = (Text(geo, "georel"), Text(geo, "geometry"), Text(geo, "geoproperty"));
            coordinates = geo.TryGetProperty("coordinates", out var c) ? (c.ValueKind == JsonValueKind.String ? c.GetString() : c.GetRawText()) : null;
        }

        var attrs = body.TryGetProperty("attrs", out var a) && a.ValueKind == JsonValueKind.Array ? string.Join(',', a.EnumerateArray().Select(x => x.GetString())) : null;
        return new Selection(types.Count > 0 ? string.Join(',', types) : null, ids.Count > 0 ? string.Join(',', ids) : null, idPattern,
            Text(body, "q"), geoRel, geometry, coordinates, geoProperty, attrs)
        {
            Join = Text(body, "join"),
            JoinLevel = body.TryGetProperty("joinLevel", out var level) ? (level.ValueKind == JsonValueKind.Number ? level.GetRawText() : level.GetString()) : null,
        };
    }

    private static async Task<IResult> QueryAsync(HttpContext http, NgsiEntityStore entities, Selection selection, JsonLdContext context, string media, string? linkUrl, bool requireFilter)
    {
        var query = http.Request.Query;
        var options = http.RequestServices.GetRequiredService<IOptions<NgsiLdOptions>>().Value;
        string? Param(string name) => query[name].FirstOrDefault() is { Length: > 0 } v ? v : null;
        if (requireFilter && selection.Types is null && selection.Attrs is null && selection.Q is null && selection.GeoRel is null)
        {
            throw NgsiLdException.BadData("Query Entities needs at least one of type, attrs, q or georel.");
        }

        var (limit, offset, count) = Paging(Param, options);
        if (limit == 0 && !count)
        {
            throw NgsiLdException.BadData("limit=0 is only allowed with count=true.");
        }

        var how = Representation(query, context, media, linkUrl);
        if (selection.Attrs is not null && how.Attrs is null && how.Pick is null)
        {
            how = how with { Attrs = Projection(selection.Attrs, context) };
        }

        if (selection.Join is not null)
        {
            how = how.Joining(selection.Join, selection.JoinLevel);
        }

        var filter = Filter(selection, context);
        var orderBy = NgsiOrderBy.Parse(Param("orderBy"), context);
        // When the database's selection is the whole filter (no entity-level test, no projection that drops entities),
        // it counts the matches and skips the offset: building 40k entities to count them took 5–8 s at 100k, and a
        // page at offset 39,000 built 39,000 entities.
        var exact = filter.ExactInDatabase && how.Attrs is null && how.Pick is null && how.Omit is null;
        var counted = count && orderBy is null && exact
            ? await entities.CountAsync(filter.Types, filter.Ids, PublicOnly(http), http.RequestAborted)
            : null;
        // Ordered answers look at every match and keep the best offset + limit (ties in registry order).
        var (page, total) = await entities.QueryAsync(filter.Types, filter.Ids, PublicOnly(http), entity => filter.Matches(entity) && Selects(entity, how),
            offset, limit, http.RequestAborted, filter.Q, filter.Geo, total: count && counted is null, order: orderBy, exactInDatabase: exact,
            compared: Compared(filter, how, orderBy));
        total = counted ?? total;
        if (count)
        {
            http.Response.Headers["NGSILD-Results-Count"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var (joined, linkedRows) = await NgsiJoin.LinkAsync(page, how, entities, PublicOnly(http), http.RequestAborted);
        how = joined;
        return new JsonBodyResult(media, linkUrl, w =>
        {
            if (media == NgsiLdHttp.GeoJson)
            {
                w.WriteStartObject();
                w.WriteString("type", "FeatureCollection");
                w.WriteStartArray("features");
                page.ForEach(e => NgsiEntityWriter.Write(w, e, how with { BodyContext = null }));
                w.WriteEndArray();
                if (how.BodyContext is not null)
                {
                    w.WritePropertyName("@context");
                    how.BodyContext.WriteTo(w);
                }

                w.WriteEndObject();
                return;
            }

            w.WriteStartArray();
            page.ForEach(e => NgsiEntityWriter.Write(w, e, how));
            linkedRows.ForEach(l => NgsiEntityWriter.Write(w, l.Entity, l.How));
            w.WriteEndArray();
        });
    }

    /// <summary>The entities a selection names: type IRIs and ids for the database, the rest as a predicate on entities.</summary>
    /// <param name="ExactInDatabase">The database's selection (type list, ids, visibility) is the whole filter: no q,
    /// geo-query, idPattern, scopeQ, nor a type expression with ';' — so a count needs no entity.</param>
    internal sealed record EntityFilter(HashSet<string>? Types, HashSet<string>? Ids, Func<NgsiEntity, bool> Matches, NgsiQuery? Q, NgsiGeoQuery? Geo,
        bool ExactInDatabase = false);

    /// <summary>Parses a selection (type language, id, idPattern, q, geo-query, scopeQ) into an <see cref="EntityFilter"/>.</summary>
    internal static EntityFilter Filter(Selection selection, JsonLdContext context)
    {
        var typeLanguage = selection.Types is null ? null : NgsiSelectionLanguage.Parse(selection.Types, "type");
        var typeIris = typeLanguage?.Atoms.Distinct(StringComparer.Ordinal).ToDictionary(t => t, t => NgsiEntityReader.ExpandName(context, t, "type"), StringComparer.Ordinal);
        var types = typeIris?.Values.ToHashSet(StringComparer.Ordinal);
        var scopes = selection.ScopeQ is null ? null : NgsiSelectionLanguage.Parse(selection.ScopeQ, "scopeQ");
        var ids = selection.Ids?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var id in ids ?? [])
        {
            if (!Domain.Assets.AssetId.IsValid(id, out var error))
            {
                throw NgsiLdException.BadData(error);
            }
        }

        System.Text.RegularExpressions.Regex? idPattern = null;
        if (selection.IdPattern is { } pattern)
        {
            try
            {
                idPattern = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException e)
            {
                throw NgsiLdException.BadData($"idPattern is not a valid pattern: {e.Message}");
            }
        }

        var q = selection.Q is null ? null : NgsiQuery.Parse(selection.Q, context);
        var geo = NgsiGeoQuery.Parse(selection.GeoRel, selection.Geometry, selection.Coordinates,
            selection.GeoProperty is null ? NgsiTerms.Location : NgsiEntityReader.ExpandName(context, selection.GeoProperty, selection.GeoProperty));
        return new EntityFilter(types, ids, entity =>
            (typeLanguage is null || typeLanguage.Matches(t => entity.Types.Contains(typeIris![t]))) &&
            (scopes is null || scopes.Matches(pattern => entity.Scopes?.Any(scope => NgsiSelectionLanguage.ScopeMatches(scope, pattern)) == true)) &&
            (idPattern is null || idPattern.IsMatch(entity.Id)) &&
            (q is null || q.Matches(entity)) &&
            (geo is null || geo.Matches(entity)), q, geo,
            ExactInDatabase: scopes is null && idPattern is null && q is null && geo is null && selection.Types?.Contains(';', StringComparison.Ordinal) != true);
    }

    /// <summary>limit, offset and count of a query (BadRequestData naming a bad one).</summary>
    internal static (int Limit, int Offset, bool Count) Paging(Func<string, string?> param, NgsiLdOptions options) =>
        (Number(param("limit"), "limit", options.DefaultLimit, 0, options.MaxLimit),
         Number(param("offset"), "offset", 0, 0, int.MaxValue),
         param("count") switch
         {
             null or "false" => false,
             "true" => true,
             var other => throw NgsiLdException.BadData($"count must be true or false, not '{other}'."),
         });

    internal static int Number(string? text, string name, int fallback, int min, int max) =>
        text is null ? fallback
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
        : throw NgsiLdException.BadData($"{name} must be a whole number from {min} to {max}, not '{text}'.");

    /// <summary>Unknown query parameters are InvalidRequest (6.3.2), so a typo never silently widens an answer.</summary>
    internal static void CheckParameters(IQueryCollection query, HashSet<string> allowed)
    {
        foreach (var name in query.Keys)
        {
            if (!allowed.Contains(name))
            {
                throw NgsiLdException.Invalid($"Unknown query parameter '{name}' (allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}).");
            }
        }
    }

    /// <summary>The representation asked for by format/options, attrs/pick/omit, lang and the media type.</summary>
    private static NgsiRepresentation Representation(IQueryCollection query, JsonLdContext context, string media, string? linkUrl)
    {
        var (format, sysAttrs) = NgsiRepresentation.ParseOptions(query["format"].FirstOrDefault(), query["options"].FirstOrDefault());
        var attrs = query["attrs"].FirstOrDefault();
        var pick = query["pick"].FirstOrDefault();
        var omit = query["omit"].FirstOrDefault();
        if (attrs is not null && (pick is not null || omit is not null))
        {
            throw NgsiLdException.BadData("attrs cannot be combined with pick or omit (attrs is the deprecated form of pick).");
        }

        var pickTree = pick is null ? null : Level(NgsiProjection.ParseTree(pick, "pick"), context);
        var omitTree = omit is null ? null : Level(NgsiProjection.ParseTree(omit, "omit"), context);
        var picked = pickTree?.Names;
        // omit=name,locatedAt{name}: the braced name is not omitted itself; its braces say what to omit from the linked entity.
        var omitted = omitTree?.Names.Where(n => !omitTree.Children.ContainsKey(n)).ToHashSet(StringComparer.Ordinal);
        if (picked is not null && omitted is not null && picked.Overlaps(omitted))
        {
            throw NgsiLdException.BadData($"{string.Join(", ", picked.Intersect(omitted))} is both picked and omitted.");
        }

        var geometry = query["geometryProperty"].FirstOrDefault();
        return new NgsiRepresentation(format, sysAttrs, context, media == NgsiLdHttp.Json ? null : NgsiLdHttp.BodyContext(linkUrl, null))
        {
            Attrs = string.IsNullOrWhiteSpace(attrs) ? null : Projection(attrs, context),
            Pick = picked,
            Omit = omitted,
            PickTree = pickTree,
            OmitTree = omitTree,
            DatasetIds = query["datasetId"].FirstOrDefault() is { Length: > 0 } datasets
                ? datasets.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
                : null,
            Languages = NgsiRepresentation.ParseLanguages(query["lang"].FirstOrDefault()),
            GeometryProperty = media == NgsiLdHttp.GeoJson ? (geometry is null ? NgsiTerms.Location : NgsiEntityReader.ExpandName(context, geometry, geometry)) : null,
        }.Joining(query["join"].FirstOrDefault(), query["joinLevel"].FirstOrDefault());
    }

    /// <summary>A pick/omit level with names expanded (core members as they are), children keyed by expanded IRI.</summary>
    private static NgsiProjectionLevel Level(NgsiProjectionTree tree, JsonLdContext context) => new(
        Names(tree.Names, context),
        tree.Children.ToDictionary(c => NgsiEntityReader.ExpandName(context, c.Key, c.Key), c => Level(c.Value, context), StringComparer.Ordinal));

    /// <summary>Core member names as they are, attribute names expanded.</summary>
    private static HashSet<string> Names(IEnumerable<string> names, JsonLdContext context) =>
        names.Select(n => NgsiProjection.CoreMembers.Contains(n) ? n : NgsiEntityReader.ExpandName(context, n, n)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The attributes the filter, the projection's selection (<see cref="Selects"/>) and the order look at: an entity
    /// with only these is tested and ranked as the whole one. Null when the selection looks at every attribute (a pick
    /// or omit that leaves out both id and type keeps only entities with a shown attribute).
    /// </summary>
    private static HashSet<string>? Compared(EntityFilter filter, NgsiRepresentation how, NgsiOrderBy? orderBy)
    {
        if (how.Attrs is null && !how.ShowsCore("id") && !how.ShowsCore("type"))
        {
            return null;
        }

        return
        [
            .. how.Attrs ?? Enumerable.Empty<string>(), .. orderBy?.Attributes ?? Enumerable.Empty<string>(),
            .. filter.Q?.Attributes ?? Enumerable.Empty<string>(), .. filter.Geo is { } geo ? [geo.Property] : Enumerable.Empty<string>(),
        ];
    }

    /// <summary>False when a projection leaves nothing of the entity (the entity then counts as not found, 6.3.3).</summary>
    private static bool Selects(NgsiEntity entity, NgsiRepresentation how)
    {
        if (how.Attrs is not null)
        {
            return how.Attrs.Any(entity.Attributes.ContainsKey);
        }

        return NgsiProjection.CoreMembers.Where(m => m is "id" or "type").Any(how.ShowsCore) || entity.Attributes.Keys.Any(how.ShowsAttribute);
    }

    /// <summary>DELETE /entities/{id} (5.6.6): 204.</summary>
    private static Task<IResult> DeleteEntityAsync(HttpContext http, string id, NgsiEntityStore entities) => Run(http, async () =>
    {
        id = EntityId(id);
        return await entities.DeleteAsync(id, RegistryCommands.ActorOf(http.User), http.RequestAborted, NgsiLdHttp.IfMatch(http.Request))
            ? Results.NoContent()
            : throw NgsiLdException.NotFound(id);
    });

    private static readonly HashSet<string> PurgeParameters = new(StringComparer.Ordinal) { "type", "id", "idPattern", "q", "scopeQ", "local", "keep", "drop" };

    /// <summary>
    /// DELETE /entities (Purge Entities, 5.6.21): every entity the selection matches is deleted — decommissioned, as
    /// Delete Entity does, so a curator can restore it — or, with <c>drop</c>, loses the listed attributes, or, with
    /// <c>keep</c>, every other attribute. A selection is required (<c>local=true</c> alone selects every entity).
    /// </summary>
    private static Task<IResult> PurgeEntitiesAsync(HttpContext http, ContextResolver contexts, NgsiEntityStore entities) => Run(http, async () =>
    {
        var query = http.Request.Query;
        CheckParameters(query, PurgeParameters);
        string? Param(string name) => query[name].FirstOrDefault() is { Length: > 0 } v ? v : null;
        var (keep, drop) = (Param("keep"), Param("drop"));
        if (keep is not null && drop is not null)
        {
            throw NgsiLdException.BadData("keep and drop cannot be used together: keep lists the attributes to keep, drop the ones to delete.");
        }

        var selection = new Selection(Param("type"), Param("id"), Param("idPattern"), Param("q"), null, null, null, null, null) { ScopeQ = Param("scopeQ") };
        if (selection is { Types: null, Ids: null, IdPattern: null, Q: null, ScopeQ: null } && Param("local") != "true")
        {
            throw NgsiLdException.BadData("Purge Entities needs a selection (type, id, idPattern, q or scopeQ), or local=true to purge every entity.");
        }

        var (context, _) = await NgsiLdHttp.LinkContextAsync(http.Request, contexts, http.RequestAborted);
        var filter = Filter(selection, context);
        var keepSet = keep is null ? null : Projection(keep, context);
        var dropSet = drop is null ? null : Projection(drop, context);
        var (matched, _) = await entities.QueryAsync(filter.Types, filter.Ids, false, filter.Matches, 0, int.MaxValue, http.RequestAborted, filter.Q, filter.Geo, total: false);
        var actor = RegistryCommands.ActorOf(http.User);
        foreach (var entity in matched)
        {
            if (keepSet is null && dropSet is null)
            {
                await entities.DeleteAsync(entity.Id, actor, http.RequestAborted);
                continue;
            }

            await entities.ModifyAsync(entity.Id, actor, keepSet is null ? "purge: drop attributes" : "purge: keep attributes", e =>
            {
                foreach (var iri in e.Attributes.Keys.Where(k => dropSet?.Contains(k) ?? !keepSet!.Contains(k)).ToList())
                {
                    e.Attributes.Remove(iri);
                }

                return true;
            }, http.RequestAborted);
        }

        return Results.NoContent();
    });

    /// <summary>A path with an empty segment (<c>/entities//attrs</c>: no entity id) is BadRequestData, not a 404 of the router.</summary>
    public static Task RejectEmptySegmentsAsync(HttpContext http, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(next);
        return http.Request.Path.Value?.Contains("//", StringComparison.Ordinal) == true
            ? NgsiLdHttp.WriteProblemAsync(http.Response, NgsiLdErrors.BadRequestData, "The path has an empty segment: an entity id or attribute name is missing.", StatusCodes.Status400BadRequest)
            : next(http);
    }

    private static Task<IResult> MissingEntityIdAsync(HttpContext http) =>
        Run(http, () => throw NgsiLdException.BadData("The entity id is missing from the path."));

    /// <summary>A checked entity id from the path (BadRequestData when it is not a URI).</summary>
    internal static string EntityId(string id)
    {
        id = NgsiEntityStore.IdFromRoute(id);
        return Domain.Assets.AssetId.IsValid(id, out var error) ? id : throw NgsiLdException.BadData(error);
    }

    /// <summary>A request body for an entity write: 415 first, then the JSON and its context.</summary>
    private static async Task<NgsiLdBody?> BodyAsync(HttpContext http, ContextResolver contexts, bool mergePatch = false)
    {
        if (!NgsiLdHttp.IsAcceptableBody(http.Request, mergePatch))
        {
            return null;
        }

        var body = await NgsiLdHttp.ReadBodyAsync(http.Request, contexts, http.RequestAborted);
        return body.Json.ValueKind == JsonValueKind.Object ? body : throw NgsiLdException.BadData("The body must be a JSON object.");
    }

    /// <summary>204 when every attribute was written, else 207 with the UpdateResult (fully qualified names, 6.3.6).</summary>
    private static IResult Outcome(UpdateResult result) => result.Complete ? Results.NoContent()
        : JsonBodyResult.Plain(StatusCodes.Status207MultiStatus, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("updated");
            result.Updated.ForEach(w.WriteStringValue);
            w.WriteEndArray();
            w.WriteStartArray("notUpdated");
            foreach (var (attribute, reason) in result.NotUpdated)
            {
                w.WriteStartObject();
                w.WriteString("attributeName", attribute);
                w.WriteString("reason", reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

    /// <summary>POST /entities/{id}/attrs (5.6.3): append; <c>options=noOverwrite</c> keeps existing attributes.</summary>
    private static Task<IResult> AppendAttributesAsync(HttpContext http, string id, ContextResolver contexts, NgsiEntityStore entities, string? options) => Run(http, async () =>
    {
        if (await BodyAsync(http, contexts) is not { } body)
        {
            return UnsupportedMediaType();
        }

        id = EntityId(id);
        var noOverwrite = (options ?? "").Split(',').Contains("noOverwrite");
        var fragment = NgsiEntityReader.Read(body.Json, body.Context, requireId: false, requireType: false);
        var result = await entities.ModifyAsync(id, RegistryCommands.ActorOf(http.User), "append attributes",
            entity => NgsiEntityOperations.Append(entity, fragment, noOverwrite), http.RequestAborted, NgsiLdHttp.IfMatch(http.Request));
        return Outcome(result);
    });

    /// <summary>PATCH /entities/{id}/attrs (5.6.2): update existing attributes; NGSI-LD Null deletes.</summary>
    private static Task<IResult> UpdateAttributesAsync(HttpContext http, string id, ContextResolver contexts, NgsiEntityStore entities) => Run(http, async () =>
    {
        if (await BodyAsync(http, contexts, mergePatch: true) is not { } body)
        {
            return UnsupportedMediaType();
        }

        id = EntityId(id);
        var fragment = NgsiEntityReader.Read(body.Json, body.Context, requireId: false, requireType: false, allowNull: true);
        var result = await entities.ModifyAsync(id, RegistryCommands.ActorOf(http.User), "update attributes",
            entity => NgsiEntityOperations.Update(entity, fragment), http.RequestAborted, NgsiLdHttp.IfMatch(http.Request));
        return Outcome(result);
    });

    /// <summary>PATCH /entities/{id}/attrs/{attr} (5.6.4): partial update of one attribute instance.</summary>
    private static Task<IResult> PartialAttributeUpdateAsync(HttpContext http, string id, string attr, ContextResolver contexts, NgsiEntityStore entities) => Run(http, async () =>
    {
        if (await BodyAsync(http, contexts, mergePatch: true) is not { } body)
        {
            return UnsupportedMediaType();
        }

        id = EntityId(id);
        var iri = NgsiEntityReader.ExpandName(body.Context, attr, attr);
        var json = body.Json;
        var fragment = NgsiEntityReader.ReadMemberFragment(json, body.Context, attr);
        if (fragment is null)
        {
            var instances = NgsiEntityReader.ReadAttribute(json, body.Context, attr, allowNull: true);
            fragment = instances.Count == 1 ? instances[0] : throw NgsiLdException.BadData("A partial attribute update changes one instance.");
        }

        await entities.ModifyAsync(id, RegistryCommands.ActorOf(http.User), $"update attribute {attr}",
            entity => { NgsiEntityOperations.PartialUpdate(entity, iri, attr, fragment); return true; }, http.RequestAborted, NgsiLdHttp.IfMatch(http.Request));
        return Results.NoContent();
    });

    /// <summary>PUT /entities/{id}/attrs/{attr} (5.6.19): replace one existing attribute.</summary>
    private static Task<IResult> ReplaceAttributeAsync(HttpContext http, string id, string attr, ContextResolver contexts, NgsiEntityStore entities) => Run(http, async () =>
    {
        if (await BodyAsync(http, contexts) is not { } body)
        {
            return UnsupportedMediaType();
        }

        id = EntityId(id);
        if (attr is "scope" or "id" or "type")
        {
            throw NgsiLdException.BadData($"'{attr}' is not an attribute that can be replaced.");
        }

        var iri = NgsiEntityReader.ExpandName(body.Context, attr, attr);
        var instances = NgsiEntityReader.ReadAttribute(body.Json, body.Context, attr);
        await entities.ModifyAsync(id, RegistryCommands.ActorOf(http.User), $"replace attribute {attr}",
            entity => { NgsiEntityOperations.ReplaceAttribute(entity, iri, attr, instances); return true; }, http.RequestAborted, NgsiLdHttp.IfMatch(http.Request));
        return Results.NoContent();
    });

    /// <summary>DELETE /entities/{id}/attrs/{attr} (5.6.5): <c>datasetId</c> for one instance, <c>deleteAll=true</c> for all.</summary>
    private static Task<IResult> DeleteAttributeAsync(HttpContext http, string id, string attr, ContextResolver contexts, NgsiEntityStore entities,
        string? datasetId, bool? deleteAll) => Run(http, async () =>
    {
        id = EntityId(id);
        var (context, _) = await NgsiLdHttp.LinkContextAsync(http.Request, contexts, http.RequestAborted);
        var iri = NgsiEntityReader.ExpandName(context, attr, attr);
        if (iri == NgsiEntityStore.ScopeIri)
        {
            await entities.ModifyAsync(id, RegistryCommands.ActorOf(http.User), "delete scope", entity =>
            {
                if (entity.Scopes is not { Count: > 0 })
                {
                    throw new NgsiLdException(NgsiLdErrors.ResourceNotFound, $"Entity '{id}' has no scope.");
                }

                entity.Scopes = null;
                return true;
            }, http.RequestAborted, NgsiLdHttp.IfMatch(http.Request));
            return Results.NoContent();
        }

        await entities.ModifyAsync(id, RegistryCommands.ActorOf(http.User), $"delete attribute {attr}",
            entity => { NgsiEntityOperations.DeleteAttribute(entity, iri, attr, datasetId, deleteAll == true); return true; }, http.RequestAborted, NgsiLdHttp.IfMatch(http.Request));
        return Results.NoContent();
    });

    /// <summary>PUT /entities/{id} (5.6.18): replace the whole entity.</summary>
    private static Task<IResult> ReplaceEntityAsync(HttpContext http, string id, ContextResolver contexts, NgsiEntityStore entities) => Run(http, async () =>
    {
        if (await BodyAsync(http, contexts) is not { } body)
        {
            return UnsupportedMediaType();
        }

        id = EntityId(id);
        var replacement = NgsiEntityReader.Read(body.Json, body.Context, requireId: false);
        if (replacement.Id.Length > 0 && replacement.Id != id)
        {
            throw NgsiLdException.BadData($"The body's id {replacement.Id} is not the id in the path ({id}).");
        }

        await entities.ModifyAsync(id, RegistryCommands.ActorOf(http.User), "replace entity",
            entity => { NgsiEntityOperations.Replace(entity, replacement); return true; }, http.RequestAborted, NgsiLdHttp.IfMatch(http.Request));
        return Results.NoContent();
    });

    /// <summary>PATCH /entities/{id} (5.6.17): merge; also application/merge-patch+json; NGSI-LD Null deletes.</summary>
    private static Task<IResult> MergeEntityAsync(HttpContext http, string id, ContextResolver contexts, NgsiEntityStore entities) => Run(http, async () =>
    {
        if (await BodyAsync(http, contexts, mergePatch: true) is not { } body)
        {
            return UnsupportedMediaType();
        }

        id = EntityId(id);
        var fragment = NgsiEntityReader.Read(body.Json, body.Context, requireId: false, requireType: false, allowNull: true);
        if (fragment.Id.Length > 0 && fragment.Id != id)
        {
            throw NgsiLdException.BadData($"The body's id {fragment.Id} is not the id in the path ({id}).");
        }

        await entities.ModifyAsync(id, RegistryCommands.ActorOf(http.User), "merge entity",
            entity => { NgsiEntityOperations.Merge(entity, fragment); return true; }, http.RequestAborted, NgsiLdHttp.IfMatch(http.Request));
        return Results.NoContent();
    });

    /// <summary>The attribute IRIs of an <c>attrs</c> / <c>pick</c> list, or null for all.</summary>
    internal static HashSet<string>? Projection(string? list, JsonLdContext context) =>
        string.IsNullOrWhiteSpace(list) ? null
            : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(a => NgsiEntityReader.ExpandName(context, a, a)).ToHashSet(StringComparer.Ordinal);
}
