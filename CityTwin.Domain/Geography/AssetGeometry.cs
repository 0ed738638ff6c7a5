namespace CityTwin.Domain.Geography;

public enum GeometryKind
{
    Point,
    LineString,
    Polygon,
    MultiPoint,
    MultiLineString,
    MultiPolygon,
}

/// <summary>
/// A WGS 84 geometry of an asset or district: a Point, a LineString, a Polygon (exterior ring first, then holes), a
/// MultiPoint (one part per point), a MultiLineString (one part per line), e.g. a lighting circuit along two streets, or
/// a MultiPolygon (the rings of every polygon in order, grouped by <see cref="PolygonRingCounts"/>), e.g. a park in two parts.
/// Immutable; validated on creation.
/// </summary>
public sealed class AssetGeometry : IEquatable<AssetGeometry>
{
    private AssetGeometry(GeometryKind kind, IReadOnlyList<IReadOnlyList<GeoPosition>> parts, IReadOnlyList<int>? polygonRingCounts = null)
    {
        Kind = kind;
        Parts = parts;
        PolygonRingCounts = polygonRingCounts;
        Bounds = GeoBounds.Of(parts.SelectMany(p => p));
    }

    public GeometryKind Kind { get; }

    /// <summary>Point: one part of one position. LineString: one part. Polygon: one part per ring, exterior first.
    /// MultiPoint: one part of one position per point. MultiLineString: one part per line.</summary>
    public IReadOnlyList<IReadOnlyList<GeoPosition>> Parts { get; }

    /// <summary>MultiPolygon only: how many rings (exterior + holes) each polygon has, in the order of <see cref="Parts"/>.</summary>
    public IReadOnlyList<int>? PolygonRingCounts { get; }

    /// <summary>The polygons of a Polygon or MultiPolygon, each as its rings (exterior first); empty for other kinds.</summary>
    public IEnumerable<IReadOnlyList<IReadOnlyList<GeoPosition>>> Polygons()
    {
        if (Kind == GeometryKind.Polygon)
        {
            yield return Parts;
        }
        else if (Kind == GeometryKind.MultiPolygon)
        {
            var start = 0;
            foreach (var count in PolygonRingCounts!)
            {
                yield return Parts.Skip(start).Take(count).ToArray();
                start += count;
            }
        }
    }

    public GeoBounds Bounds { get; }

    /// <summary>A representative position: the point itself, else the centre of the bounding box.</summary>
    public GeoPosition Anchor => Kind == GeometryKind.Point
        ? Parts[0][0]
        : new GeoPosition((Bounds.West + Bounds.East) / 2, (Bounds.South + Bounds.North) / 2);

    public static AssetGeometry Point(double longitude, double latitude) =>
        new(GeometryKind.Point, [[new GeoPosition(longitude, latitude)]]);

    public static AssetGeometry LineString(IEnumerable<GeoPosition> positions)
    {
        var list = positions.ToArray();
        if (list.Length < 2)
        {
            throw new DomainException("geometry", "A LineString needs at least two positions.");
        }

        return new AssetGeometry(GeometryKind.LineString, [list]);
    }

    public static AssetGeometry MultiPoint(IEnumerable<GeoPosition> points)
    {
        var list = points.Select(p => (IReadOnlyList<GeoPosition>)[p]).ToArray();
        if (list.Length == 0)
        {
            throw new DomainException("geometry", "A MultiPoint needs at least one point.");
        }

        return new AssetGeometry(GeometryKind.MultiPoint, list);
    }

    public static AssetGeometry MultiLineString(IEnumerable<IEnumerable<GeoPosition>> lines)
    {
        var list = lines.Select(l => (IReadOnlyList<GeoPosition>)l.ToArray()).ToArray();
        if (list.Length == 0 || list.Any(l => l.Count < 2))
        {
            throw new DomainException("geometry", "A MultiLineString needs at least one line, each of at least two positions.");
        }

        return new AssetGeometry(GeometryKind.MultiLineString, list);
    }

    public static AssetGeometry MultiPolygon(IEnumerable<IEnumerable<IEnumerable<GeoPosition>>> polygons)
    {
        var list = polygons.Select(Polygon).ToArray();
        if (list.Length == 0)
        {
            throw new DomainException("geometry", "A MultiPolygon needs at least one polygon.");
        }

        return new AssetGeometry(GeometryKind.MultiPolygon, [.. list.SelectMany(p => p.Parts)], [.. list.Select(p => p.Parts.Count)]);
    }

    public static AssetGeometry Polygon(IEnumerable<IEnumerable<GeoPosition>> rings)
    {
        var list = rings.Select(r => (IReadOnlyList<GeoPosition>)r.ToArray()).ToArray();
        if (list.Length == 0)
        {
            throw new DomainException("geometry", "A Polygon needs an exterior ring.");
        }

        foreach (var ring in list)
        {
            if (ring.Count < 4)
            {
                throw new DomainException("geometry", "A Polygon ring needs at least four positions (the first repeated last).");
            }

            if (ring[0] != ring[^1])
            {
                throw new DomainException("geometry", "A Polygon ring must be closed: its last position must equal its first.");
            }
        }

        return new AssetGeometry(GeometryKind.Polygon, list);
    }

    /// <summary>Point-in-polygon test (ray casting) against each polygon's exterior ring minus its holes; false for non-polygons.</summary>
    public bool Covers(GeoPosition p) =>
        Kind is GeometryKind.Polygon or GeometryKind.MultiPolygon && Bounds.Contains(p) && Polygons().Any(rings => PolygonCovers(rings, p));

    private static bool PolygonCovers(IReadOnlyList<IReadOnlyList<GeoPosition>> rings, GeoPosition p)
    {
        if (!RingContains(rings[0], p))
        {
            return false;
        }

        for (var i = 1; i < rings.Count; i++)
        {
            if (RingContains(rings[i], p))
            {
                return false;
            }
        }

        return true;
    }

    private static bool RingContains(IReadOnlyList<GeoPosition> ring, GeoPosition p)
    {
        var inside = false;
        for (int i = 0, j = ring.Count - 1; i < ring.Count; j = i++)
        {
            var a = ring[i];
            var b = ring[j];
            if ((a.Latitude > p.Latitude) != (b.Latitude > p.Latitude) &&
                p.Longitude < (b.Longitude - a.Longitude) * (p.Latitude - a.Latitude) / (b.Latitude - a.Latitude) + a.Longitude)
            {
                inside = !inside;
            }
        }

        return inside;
    }

    public bool Equals(AssetGeometry? other) =>
        other is not null && Kind == other.Kind && Parts.Count == other.Parts.Count &&
        Parts.Zip(other.Parts).All(pair => pair.First.SequenceEqual(pair.Second)) &&
        (PolygonRingCounts ?? []).SequenceEqual(other.PolygonRingCounts ?? []);

    public override bool Equals(object? obj) => Equals(obj as AssetGeometry);

    public override int GetHashCode() => HashCode.Combine(Kind, Bounds);
}
