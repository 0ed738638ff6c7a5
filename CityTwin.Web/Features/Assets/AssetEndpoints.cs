using System.Text.Json;
using CityTwin.Domain.Geography;
using CityTwin.Web.Features.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CityTwin.Web.Features.Assets;

public static class AssetEndpoints
{
    /// <summary>
    /// <c>GET /api/assets?bbox=w,s,e,n&amp;q=text&amp;type=Tree&amp;limit=1000</c> → GeoJSON FeatureCollection.
    /// Anonymous callers (and read-only keys) see published assets only; staff see every active record.
    /// </summary>
    public static RouteGroupBuilder MapAssetEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/assets").WithTags("Assets");
        group.MapGet("/", SearchAsync);
        return group;
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> SearchAsync(
        HttpContext context, AssetQueryService assets, string? bbox, string? q, string? type, int? limit)
    {
        GeoBounds? bounds = null;
        if (bbox is not null)
        {
            if (!GeoBounds.TryParse(bbox, out var parsed, out var error))
            {
                return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid bbox");
            }

            bounds = parsed;
        }

        if (type is not null && CityTwin.Domain.Assets.AssetTypeCatalog.Find(type) is null)
        {
            return TypedResults.Problem($"Unknown asset type '{type}'.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid type");
        }

        if (limit is < 1 or > AssetQueryService.MaxLimit)
        {
            return TypedResults.Problem($"limit must be between 1 and {AssetQueryService.MaxLimit}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");
        }

        var staff = context.User.SeesInternalData();
        var rows = await assets.SearchAsync(new AssetSearch(bounds, q, type, PublicOnly: !staff, Limit: limit ?? 1000), context.RequestAborted);
        return TypedResults.Content(ToFeatureCollection(rows), "application/geo+json");
    }

    private static string ToFeatureCollection(IReadOnlyList<AssetSummary> rows)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteStartArray("features");
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("type", "Feature");
                w.WriteString("id", r.Id);
                w.WritePropertyName("geometry");
                if (r.Geometry is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    w.WriteRawValue(r.Geometry);
                }

                w.WriteStartObject("properties");
                w.WriteString("type", r.Type);
                w.WriteString("name", r.Name);
                w.WriteString("status", r.Status);
                if (r.Condition is { } c)
                {
                    w.WriteNumber("condition", c);
                }

                w.WriteString("district", r.DistrictCode);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("numberReturned", rows.Count);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
