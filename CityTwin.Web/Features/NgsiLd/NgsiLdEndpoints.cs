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

    /// <summary>GET /entities/{id} (5.7.1): the entity in the negotiated representation.</summary>
    private static Task<IResult> RetrieveEntityAsync(HttpContext http, string id, ContextResolver contexts, NgsiEntityStore entities,
        string? attrs, string? pick, string? options, string? format) => Run(http, async () =>
    {
        var media = NgsiLdHttp.Negotiate(http.Request, geoJson: false);
        if (media is null)
        {
            return NotAcceptable();
        }

        id = NgsiEntityStore.IdFromRoute(id);
        if (!Domain.Assets.AssetId.IsValid(id, out var error))
        {
            throw NgsiLdException.BadData(error);
        }

        var (representationFormat, sysAttrs) = NgsiRepresentation.ParseOptions(format, options);
        var (context, linkUrl) = await NgsiLdHttp.LinkContextAsync(http.Request, contexts, http.RequestAborted);
        var entity = await entities.FindAsync(id, PublicOnly(http), http.RequestAborted) ?? throw NgsiLdException.NotFound(id);
        var projection = Projection(pick ?? attrs, context);
        var how = new NgsiRepresentation(representationFormat, sysAttrs, projection, context,
            media == NgsiLdHttp.LdJson ? NgsiLdHttp.BodyContext(linkUrl, null) : null);
        return new JsonBodyResult(media, linkUrl, w => NgsiEntityWriter.Write(w, entity, how));
    });

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
