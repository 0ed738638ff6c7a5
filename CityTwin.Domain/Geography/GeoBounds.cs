using System.Globalization;

namespace CityTwin.Domain.Geography;

/// <summary>An axis-aligned WGS 84 bounding box (west, south, east, north), as in a GeoJSON <c>bbox</c>.</summary>
public readonly record struct GeoBounds
{
    public GeoBounds(double west, double south, double east, double north)
    {
        _ = new GeoPosition(west, south);
        _ = new GeoPosition(east, north);
        if (west > east || south > north)
        {
            throw new DomainException("bbox", string.Create(CultureInfo.InvariantCulture,
                $"Bounding box {west},{south},{east},{north} is inverted: expected west,south,east,north with west ≤ east and south ≤ north."));
        }

        West = west;
        South = south;
        East = east;
        North = north;
    }

    public double West { get; }

    public double South { get; }

    public double East { get; }

    public double North { get; }

    public bool Contains(GeoPosition p) =>
        p.Longitude >= West && p.Longitude <= East && p.Latitude >= South && p.Latitude <= North;

    public bool Intersects(GeoBounds other) =>
        other.West <= East && other.East >= West && other.South <= North && other.North >= South;

    public static GeoBounds Of(IEnumerable<GeoPosition> positions)
    {
        double w = double.MaxValue, s = double.MaxValue, e = double.MinValue, n = double.MinValue;
        var any = false;
        foreach (var p in positions)
        {
            any = true;
            w = Math.Min(w, p.Longitude);
            s = Math.Min(s, p.Latitude);
            e = Math.Max(e, p.Longitude);
            n = Math.Max(n, p.Latitude);
        }

        return any ? new GeoBounds(w, s, e, n) : throw new DomainException("geometry", "A geometry needs at least one position.");
    }

    /// <summary>Parses "west,south,east,north" (invariant culture), as used by the <c>bbox</c> query parameter.</summary>
    public static bool TryParse(string? text, out GeoBounds bounds, out string? error)
    {
        bounds = default;
        error = null;
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 4)
        {
            error = "bbox must be four numbers: west,south,east,north (WGS 84 degrees).";
            return false;
        }

        var values = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                error = $"bbox value '{parts[i]}' is not a number.";
                return false;
            }
        }

        try
        {
            bounds = new GeoBounds(values[0], values[1], values[2], values[3]);
            return true;
        }
        catch (DomainException ex)
        {
            error = ex.Message;
            return false;
        }
    }
}
