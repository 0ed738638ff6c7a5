using CityTwin.Web.Features.Registry;
using CityTwin.Web.Features.Security;

namespace CityTwin.Web.Features.Interop;

public static class ExportEndpoints
{
    /// <summary>
    /// <c>GET /api/exports/assets?format=geojson|csv|ngsi-ld|ngsi-ld-keyvalues[&amp;bom=true]&amp;…registry filters…</c>
    /// streams the selection as a download; <c>GET /ngsi-ld/contexts/citytwin.jsonld</c> serves CityTwin's JSON-LD context.
    /// </summary>
    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(CityTwinContext.Path, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(CityTwinContext.Document(), "application/ld+json");
        }).WithTags("Interop");

        app.MapGet("/api/exports/assets", ExportAsync).WithTags("Interop");
        return app;
    }

    private static async Task<IResult> ExportAsync(HttpContext context, ExportService exports, TimeProvider time)
    {
        var query = context.Request.Query;
        if (!ExportService.TryParseFormat(query["format"], out var format))
        {
            return Results.Problem("format must be one of: geojson, csv, ngsi-ld, ngsi-ld-keyvalues.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid format");
        }

        var filter = RegistryFilter.FromQuery(k => query.TryGetValue(k, out var v) ? v.ToString() : null);
        var staff = context.User.SeesInternalData();
        var contextUrl = $"{context.Request.Scheme}://{context.Request.Host}{CityTwinContext.Path}";
        var request = new ExportRequest(filter, format, PublicOnly: !staff, contextUrl, Bom: query["bom"] is { Count: > 0 } b && b.ToString() is "1" or "true");
        var (contentType, extension) = ExportService.MediaOf(format);
        context.Response.ContentType = contentType;
        context.Response.Headers.ContentDisposition =
            $"attachment; filename=\"citytwin-assets-{time.GetUtcNow():yyyyMMdd}.{extension}\"";
        await exports.WriteAsync(request, context.Response.Body, context.RequestAborted);
        return Results.Empty;
    }
}
