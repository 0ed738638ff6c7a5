using System.Globalization;
using System.Text.Json;
using CityTwin.Domain;
using CityTwin.Domain.Geography;
using CityTwin.Web.Features.Geo;
using NetTopologySuite.IO;
using Nts = NetTopologySuite.Geometries;

namespace CityTwin.Web.Features.Import;

/// <summary>Coordinates as found in a file, before the transformation to WGS 84.</summary>
/// <param name="RingCounts">MultiPolygon only: the number of rings of each polygon, in the order of <paramref name="Parts"/>.</param>
public sealed record RawGeometry(GeometryKind Kind, IReadOnlyList<IReadOnlyList<(double X, double Y)>> Parts, IReadOnlyList<int>? RingCounts = null)
{
    public (double X, double Y) First => Parts[0][0];
}

/// <summary>
/// Reads geometries from GeoJSON, WKT (NetTopologySuite) and "lat, lon" text, transforms them from the source CRS to
/// WGS 84 and checks them against the city's extent. Failures throw <see cref="FormatException"/> with the reason.
/// </summary>
public static class ImportGeometry
{
    private static readonly WKTReader Wkt = new();

    public static RawGeometry FromGeoJson(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw new FormatException("A GeoJSON geometry is an object with a string \"type\".");
        }

        if (!e.TryGetProperty("coordinates", out var c) || c.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("A GeoJSON geometry needs a \"coordinates\" array.");
        }

        var type = typeElement.GetString();
        switch (type)
        {
            case "Point":
                return new RawGeometry(GeometryKind.Point, [[Position(c)]]);
            case "LineString":
                return new RawGeometry(GeometryKind.LineString, [[.. c.EnumerateArray().Select(Position)]]);
            case "Polygon":
                return new RawGeometry(GeometryKind.Polygon, [.. c.EnumerateArray().Select(r => (IReadOnlyList<(double, double)>)[.. r.EnumerateArray().Select(Position)])]);
            case "MultiPoint" when c.GetArrayLength() > 1:
                return new RawGeometry(GeometryKind.MultiPoint, [.. c.EnumerateArray().Select(p => (IReadOnlyList<(double, double)>)[Position(p)])]);
            case "MultiLineString" when c.GetArrayLength() > 1:
                return new RawGeometry(GeometryKind.MultiLineString, [.. c.EnumerateArray().Select(l => (IReadOnlyList<(double, double)>)[.. l.EnumerateArray().Select(Position)])]);
            case "MultiPolygon" when c.GetArrayLength() > 1:
                return new RawGeometry(GeometryKind.MultiPolygon,
                    [.. c.EnumerateArray().SelectMany(poly => poly.EnumerateArray().Select(r => (IReadOnlyList<(double, double)>)[.. r.EnumerateArray().Select(Position)]))],
                    [.. c.EnumerateArray().Select(poly => poly.GetArrayLength())]);
            case "MultiPoint" or "MultiLineString" or "MultiPolygon" when c.GetArrayLength() == 1:
                using (var single = JsonDocument.Parse($"{{\"type\":\"{type[5..]}\",\"coordinates\":{c[0].GetRawText()}}}"))
                {
                    return FromGeoJson(single.RootElement);
                }

            default:
                throw new FormatException($"Geometry type '{type}' is not supported; the registry stores a Point, LineString, Polygon or one of their Multi forms per asset.");
        }
    }

    private static (double X, double Y) Position(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() < 2 || e[0].ValueKind != JsonValueKind.Number || e[1].ValueKind != JsonValueKind.Number)
        {
            var raw = e.GetRawText();
            throw new FormatException($"A position is an array of two or three numbers; got {(raw.Length > 60 ? raw[..60] + "…" : raw)}.");
        }

        return (e[0].GetDouble(), e[1].GetDouble());
    }

    public static RawGeometry FromWkt(string text)
    {
        Nts.Geometry g;
        try
        {
            g = Wkt.Read(text);
        }
        catch (Exception e) when (e is ParseException or ArgumentException or FormatException or InvalidOperationException)
        {
            throw new FormatException($"Not a valid WKT geometry: {e.Message}");
        }

        if (g is Nts.GeometryCollection { NumGeometries: 1 } collection)
        {
            g = collection.GetGeometryN(0);
        }

        static IReadOnlyList<(double, double)> Coords(Nts.Geometry part) => [.. part.Coordinates.Select(c => (c.X, c.Y))];
        return g switch
        {
            Nts.Point p when !p.IsEmpty => new RawGeometry(GeometryKind.Point, [Coords(p)]),
            Nts.LineString l when l is not Nts.LinearRing && !l.IsEmpty => new RawGeometry(GeometryKind.LineString, [Coords(l)]),
            Nts.Polygon poly when !poly.IsEmpty => new RawGeometry(GeometryKind.Polygon, [Coords(poly.ExteriorRing), .. poly.InteriorRings.Select(Coords)]),
            Nts.MultiPoint points when !points.IsEmpty => new RawGeometry(GeometryKind.MultiPoint, [.. points.Geometries.Select(Coords)]),
            Nts.MultiLineString lines when !lines.IsEmpty => new RawGeometry(GeometryKind.MultiLineString, [.. lines.Geometries.Select(Coords)]),
            Nts.MultiPolygon polygons when !polygons.IsEmpty => new RawGeometry(GeometryKind.MultiPolygon,
                [.. polygons.Geometries.Cast<Nts.Polygon>().SelectMany(p => new[] { Coords(p.ExteriorRing) }.Concat(p.InteriorRings.Select(Coords)))],
                [.. polygons.Geometries.Cast<Nts.Polygon>().Select(p => 1 + p.NumInteriorRings)]),
            _ => throw new FormatException($"Geometry type '{g.GeometryType}' is not supported; the registry stores a Point, LineString, Polygon or one of their Multi forms per asset."),
        };
    }

    /// <summary>WKT or GeoJSON, whichever the text is.</summary>
    public static RawGeometry FromText(string text)
    {
        var s = text.Trim();
        if (!s.StartsWith('{'))
        {
            return FromWkt(s);
        }

        try
        {
            using var doc = JsonDocument.Parse(s);
            return FromGeoJson(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not valid GeoJSON: {e.Message}");
        }
    }

    /// <summary>"47.36, 8.53" (latitude first, as people write it).</summary>
    public static RawGeometry FromLatLon(string text)
    {
        var parts = text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat) ||
            !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon))
        {
            throw new FormatException("Expected \"latitude, longitude\" such as \"47.3623, 8.5356\".");
        }

        return new RawGeometry(GeometryKind.Point, [[(lon, lat)]]);
    }

    public static RawGeometry FromXY(double x, double y) => new(GeometryKind.Point, [[(x, y)]]);

    /// <summary>Transforms to WGS 84 and builds the asset geometry.</summary>
    public static AssetGeometry ToWgs84(RawGeometry raw, CrsTransform crs)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(crs);
        if (crs.IsWgs84 && raw.Parts.SelectMany(p => p).Any(c => Math.Abs(c.X) > 180 || Math.Abs(c.Y) > 90))
        {
            var (x, y) = raw.Parts.SelectMany(p => p).First(c => Math.Abs(c.X) > 180 || Math.Abs(c.Y) > 90);
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"({x}, {y}) is not a longitude/latitude: the coordinates look projected. Choose the source CRS (e.g. EPSG:2056)."));
        }

        var parts = raw.Parts.Select(p => p.Select(c =>
        {
            var (lon, lat) = crs.ToWgs84(c.X, c.Y);
            if (!double.IsFinite(lon) || !double.IsFinite(lat) || Math.Abs(lon) > 180 || Math.Abs(lat) > 90)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"({c.X}, {c.Y}) is outside the area of {Describe(crs)}."));
            }

            return new GeoPosition(Math.Round(lon, 9), Math.Round(lat, 9));
        }).ToList()).ToList();
        try
        {
            return raw.Kind switch
            {
                GeometryKind.Point => AssetGeometry.Point(parts[0][0].Longitude, parts[0][0].Latitude),
                GeometryKind.LineString => AssetGeometry.LineString(parts[0]),
                GeometryKind.MultiPoint => AssetGeometry.MultiPoint(parts.Select(p => p[0])),
                GeometryKind.MultiLineString => AssetGeometry.MultiLineString(parts),
                GeometryKind.MultiPolygon => AssetGeometry.MultiPolygon(Group(parts, raw.RingCounts!)),
                _ => AssetGeometry.Polygon(parts),
            };
        }
        catch (DomainException e)
        {
            throw new FormatException(e.Message);
        }
    }

    private static IEnumerable<IEnumerable<GeoPosition>>[] Group(List<List<GeoPosition>> rings, IReadOnlyList<int> counts)
    {
        var start = 0;
        var polygons = new IEnumerable<IEnumerable<GeoPosition>>[counts.Count];
        for (var i = 0; i < counts.Count; i++)
        {
            polygons[i] = rings.Skip(start).Take(counts[i]);
            start += counts[i];
        }

        return polygons;
    }

    private static string Describe(CrsTransform crs) => $"EPSG:{crs.Epsg} {crs.Name}";

    /// <summary>
    /// Checks a point against the city's extent: outside → an error (or a warning when allowed); a point that lands
    /// inside once latitude and longitude are swapped is reported as swapped.
    /// </summary>
    public static (string Reason, bool Swapped)? CheckExtent(AssetGeometry geometry, GeoBounds? extent)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (extent is not { } e)
        {
            return null;
        }

        var p = geometry.Anchor;
        if (e.Contains(p))
        {
            return null;
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"[{p.Longitude:0.######}, {p.Latitude:0.######}]");
        var box = string.Create(CultureInfo.InvariantCulture, $"{e.West:0.###},{e.South:0.###} – {e.East:0.###},{e.North:0.###}");
        if (Math.Abs(p.Longitude) <= 90 && e.Contains(new GeoPosition(p.Latitude, p.Longitude)))
        {
            return ($"Longitude and latitude look swapped: {text} is outside the city ({box}) but the swapped point is inside.", true);
        }

        return ($"{text} is outside the city's extent ({box}). Check the coordinates and the source CRS.", false);
    }
}
