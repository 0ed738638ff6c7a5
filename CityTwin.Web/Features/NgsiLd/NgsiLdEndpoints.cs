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
        group.MapPost("/entities", CreateEntityAsync).RequireAuthorization(Policies.ApiWrite);
        group.MapGet("/entities/{id}", RetrieveEntityAsync);
        group.MapDelete("/entities/{id}", DeleteEntityAsync).RequireAuthorization(Policies.ApiWrite);
        return app;
    }

    /// <summary>Runs an operation, turning NGSI-LD and JSON-LD failures into ProblemDetails.</summary>
    private static async Task<IResult> Run(HttpContext http, Func<Task<IResult>> operation)
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
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
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
    private sealed class JsonBodyResult(string mediaType, string? linkUrl, Action<Utf8JsonWriter> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = mediaType;
            if (mediaType == NgsiLdHttp.Json)
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
    private static bool PublicOnly(HttpContext http) =>
        !(http.User.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, "write") || Roles.All.Any(http.User.IsInRole));

    private static IResult UnsupportedMediaType() => Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);

    private static IResult NotAcceptable() => Results.Text(
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
        id = NgsiEntityStore.IdFromRoute(id);
        if (!Domain.Assets.AssetId.IsValid(id, out var error))
        {
            throw NgsiLdException.BadData(error);
        }

        var (context, linkUrl) = await NgsiLdHttp.LinkContextAsync(http.Request, contexts, http.RequestAborted);
        var how = Representation(http.Request.Query, context, media, linkUrl);
        var entity = await entities.FindAsync(id, PublicOnly(http), http.RequestAborted) ?? throw NgsiLdException.NotFound(id);
        if (!Selects(entity, how))
        {
            throw new NgsiLdException(NgsiLdErrors.ResourceNotFound, $"Entity '{id}' has none of the requested attributes.");
        }

        return new JsonBodyResult(media, linkUrl, w => NgsiEntityWriter.Write(w, entity, how));
    });

    /// <summary>Unknown query parameters are InvalidRequest (6.3.2), so a typo never silently widens an answer.</summary>
    private static void CheckParameters(IQueryCollection query, HashSet<string> allowed)
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

        var picked = pick is null ? null : Names(NgsiProjection.Parse(pick, "pick"), context);
        var omitted = omit is null ? null : Names(NgsiProjection.Parse(omit, "omit"), context);
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
            Languages = NgsiRepresentation.ParseLanguages(query["lang"].FirstOrDefault()),
            GeometryProperty = media == NgsiLdHttp.GeoJson ? (geometry is null ? NgsiTerms.Location : NgsiEntityReader.ExpandName(context, geometry, geometry)) : null,
        };
    }

    /// <summary>Core member names as they are, attribute names expanded.</summary>
    private static HashSet<string> Names(IEnumerable<string> names, JsonLdContext context) =>
        names.Select(n => NgsiProjection.CoreMembers.Contains(n) ? n : NgsiEntityReader.ExpandName(context, n, n)).ToHashSet(StringComparer.Ordinal);

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
        id = NgsiEntityStore.IdFromRoute(id);
        if (!Domain.Assets.AssetId.IsValid(id, out var error))
        {
            throw NgsiLdException.BadData(error);
        }

        return await entities.DeleteAsync(id, RegistryCommands.ActorOf(http.User), http.RequestAborted)
            ? Results.NoContent()
            : throw NgsiLdException.NotFound(id);
    });

    /// <summary>The attribute IRIs of an <c>attrs</c> / <c>pick</c> list, or null for all.</summary>
    private static HashSet<string>? Projection(string? list, JsonLdContext context) =>
        string.IsNullOrWhiteSpace(list) ? null
            : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(a => NgsiEntityReader.ExpandName(context, a, a)).ToHashSet(StringComparer.Ordinal);
}
