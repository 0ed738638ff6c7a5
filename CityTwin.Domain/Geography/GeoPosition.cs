using System.Globalization;

namespace CityTwin.Domain.Geography;

/// <summary>A WGS 84 position in GeoJSON axis order: longitude first, then latitude (EPSG:4326, lon/lat).</summary>
public readonly record struct GeoPosition
{
    public GeoPosition(double longitude, double latitude)
    {
        if (!double.IsFinite(longitude) || longitude < -180 || longitude > 180)
        {
            throw new DomainException("geometry", string.Create(CultureInfo.InvariantCulture,
                $"Longitude {longitude} is outside -180..180 (WGS 84 degrees, longitude first)."));
        }

        if (!double.IsFinite(latitude) || latitude < -90 || latitude > 90)
        {
            throw new DomainException("geometry", string.Create(CultureInfo.InvariantCulture,
                $"Latitude {latitude} is outside -90..90 (WGS 84 degrees, longitude first)."));
        }

        Longitude = longitude;
        Latitude = latitude;
    }

    public double Longitude { get; }

    public double Latitude { get; }

    /// <summary>Great-circle distance in metres (haversine; adequate at city scale).</summary>
    public double DistanceTo(GeoPosition other)
    {
        const double earthRadius = 6_371_008.8;
        var dLat = DegreesToRadians(other.Latitude - Latitude);
        var dLon = DegreesToRadians(other.Longitude - Longitude);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                Math.Cos(DegreesToRadians(Latitude)) * Math.Cos(DegreesToRadians(other.Latitude)) *
                Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * earthRadius * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    private static double DegreesToRadians(double degrees) => degrees * Math.PI / 180;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{Longitude}, {Latitude}]");
}
