using CityTwin.Domain.Geography;

namespace CityTwin.Domain.Districts;

/// <summary>An administrative district of the city: a short code, a name, its boundary and population.</summary>
public sealed class District
{
    public const int MaxCodeLength = 32;
    public const int MaxNameLength = 100;

    public District(string code, string name, AssetGeometry boundary, int population)
    {
        ArgumentNullException.ThrowIfNull(boundary);
        Code = Guard.RequiredText(code, "code", MaxCodeLength);
        if (Code.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            throw new DomainException("code", $"District code '{Code}' may hold only ASCII letters, digits, '-' and '_'.");
        }

        Name = Guard.RequiredText(name, "name", MaxNameLength);
        Boundary = boundary.Kind == GeometryKind.Polygon
            ? boundary
            : throw new DomainException("boundary", "A district boundary must be a Polygon.");
        Population = population >= 0 ? population : throw new DomainException("population", "Population cannot be negative.");
    }

    public string Code { get; }

    public string Name { get; }

    public AssetGeometry Boundary { get; }

    public int Population { get; }

    /// <summary>NGSI-LD id of the district (SDM has no district model; CityTwin's own type).</summary>
    public string EntityId => $"urn:ngsi-ld:District:{Code}";

    public bool Contains(GeoPosition position) => Boundary.Covers(position);
}
