using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CityTwin.Domain;
using CityTwin.Domain.Geography;

namespace CityTwin.Web.Data;

/// <summary>Reads and writes GeoJSON geometry objects (RFC 7946: WGS 84, longitude first) for <see cref="AssetGeometry"/>.</summary>
public static class GeoJson
{
    public static string Write(AssetGeometry geometry)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(w, geometry);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Write(Utf8JsonWriter w, AssetGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(geometry);
        w.WriteStartObject();
        w.WriteString("type", geometry.Kind.ToString());
        w.WritePropertyName("coordinates");
        switch (geometry.Kind)
        {
            case GeometryKind.Point:
                WritePosition(w, geometry.Parts[0][0]);
                break;
            case GeometryKind.LineString:
                WritePositions(w, geometry.Parts[0]);
                break;
            case GeometryKind.MultiPoint:
                WritePositions(w, [.. geometry.Parts.Select(p => p[0])]);
                break;
            case GeometryKind.MultiPolygon:
                w.WriteStartArray();
                foreach (var polygon in geometry.Polygons())
                {
                    w.WriteStartArray();
                    foreach (var ring in polygon)
                    {
                        WritePositions(w, ring);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndArray();
                break;
            default:
                w.WriteStartArray();
                foreach (var ring in geometry.Parts)
                {
                    WritePositions(w, ring);
                }

                w.WriteEndArray();
                break;
        }

        w.WriteEndObject();
    }

    private static void WritePositions(Utf8JsonWriter w, IReadOnlyList<GeoPosition> positions)
    {
        w.WriteStartArray();
        foreach (var p in positions)
        {
            WritePosition(w, p);
        }

        w.WriteEndArray();
    }

    private static void WritePosition(Utf8JsonWriter w, GeoPosition p)
    {
        w.WriteStartArray();
        w.WriteNumberValue(Math.Round(p.Longitude, 7));
        w.WriteNumberValue(Math.Round(p.Latitude, 7));
        w.WriteEndArray();
    }

    /// <summary>Parses a GeoJSON Point, LineString, Polygon, MultiPoint, MultiLineString or MultiPolygon; throws <see cref="DomainException"/> with the reason.</summary>
    public static AssetGeometry Read(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return Read(doc.RootElement);
        }
        catch (JsonException ex)
        {
            throw new DomainException("geometry", $"Geometry is not valid JSON: {ex.Message}");
        }
    }

    public static AssetGeometry Read(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw new DomainException("geometry", "A GeoJSON geometry is an object with a string 'type'.");
        }

        if (!e.TryGetProperty("coordinates", out var c) || c.ValueKind != JsonValueKind.Array)
        {
            throw new DomainException("geometry", "A GeoJSON geometry needs a 'coordinates' array.");
        }

        return type.GetString() switch
        {
            "Point" => AssetGeometry.Point(Position(c).Longitude, Position(c).Latitude),
            "LineString" => AssetGeometry.LineString(c.EnumerateArray().Select(Position)),
            "Polygon" => AssetGeometry.Polygon(c.EnumerateArray().Select(r => r.EnumerateArray().Select(Position))),
            "MultiPoint" => AssetGeometry.MultiPoint(c.EnumerateArray().Select(Position)),
            "MultiLineString" => AssetGeometry.MultiLineString(c.EnumerateArray().Select(l => l.EnumerateArray().Select(Position))),
            "MultiPolygon" => AssetGeometry.MultiPolygon(c.EnumerateArray().Select(poly => poly.EnumerateArray().Select(r => r.EnumerateArray().Select(Position)))),
            var other => throw new DomainException("geometry", $"Geometry type '{other}' is not supported; use a Point, LineString, Polygon or one of their Multi forms."),
        };
    }

    private static GeoPosition Position(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() < 2 ||
            e[0].ValueKind != JsonValueKind.Number || e[1].ValueKind != JsonValueKind.Number)
        {
            throw new DomainException("geometry", string.Create(CultureInfo.InvariantCulture,
                $"A position is an array of two or three numbers [longitude, latitude]; got {Truncate(e.GetRawText())}."));
        }

        return new GeoPosition(e[0].GetDouble(), e[1].GetDouble());
    }

    private static string Truncate(string s) => s.Length > 60 ? s[..60] + "…" : s;
}
