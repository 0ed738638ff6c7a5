using CityTwin.Domain.Geography;

namespace CityTwin.Domain.Assets;

public enum QualityIssue
{
    MissingInstallationDate,
    NeverInspected,
    StaleInspection,
    MissingGeometry,
    MissingDistrict,
    PastExpectedLife,
    MissingReplacementCost,
    OutOfRange,
}

/// <summary>Data-quality checks of one asset: what a curator should complete or verify.</summary>
public static class DataQuality
{
    /// <summary>An inspection older than this many years is stale.</summary>
    public const int StaleInspectionYears = 5;

    /// <summary>
    /// The issues of one asset. <paramref name="districtBounds"/>: the bounding box of the asset's district, to tell a
    /// location that lies outside it (swapped coordinates, a wrong CRS or a wrong district).
    /// </summary>
    public static IReadOnlyList<QualityIssue> IssuesOf(Asset asset, DateOnly today, GeoBounds? districtBounds = null)
    {
        ArgumentNullException.ThrowIfNull(asset);
        var issues = new List<QualityIssue>();
        if (asset.InstalledOn is null && asset.Status != AssetStatus.Planned)
        {
            issues.Add(QualityIssue.MissingInstallationDate);
        }

        if (asset.InspectedOn is null && asset.Status != AssetStatus.Planned)
        {
            issues.Add(QualityIssue.NeverInspected);
        }
        else if (asset.InspectedOn is { } inspected && inspected.AddYears(StaleInspectionYears) < today)
        {
            issues.Add(QualityIssue.StaleInspection);
        }

        if (asset.Geometry is null)
        {
            issues.Add(QualityIssue.MissingGeometry);
        }

        if (asset.DistrictCode is null)
        {
            issues.Add(QualityIssue.MissingDistrict);
        }

        if (asset.RemainingLifeYears(today) is < 0)
        {
            issues.Add(QualityIssue.PastExpectedLife);
        }

        if (asset.ReplacementCost is null && asset.Type.Name != AssetTypeCatalog.StreetlightGroup.Name)
        {
            issues.Add(QualityIssue.MissingReplacementCost);
        }

        if (HasValueOutOfRange(asset) || (districtBounds is { } box && asset.Geometry is { } geometry && !box.Intersects(geometry.Bounds)))
        {
            issues.Add(QualityIssue.OutOfRange);
        }

        return issues;
    }

    /// <summary>
    /// A number outside its definition's range (stored before the range was narrowed, or written around the registry):
    /// writes refuse such values, so only older or foreign data has them.
    /// </summary>
    public static bool HasValueOutOfRange(Asset asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        foreach (var (iri, value) in asset.Attributes)
        {
            if (value is { Type: AttributeDataType.Number or AttributeDataType.Integer, Number: { } n } && asset.Type.FindAttribute(iri) is { } def &&
                (n < def.Minimum || n > def.Maximum))
            {
                return true;
            }
        }

        return false;
    }

    public static string Describe(QualityIssue issue) => issue switch
    {
        QualityIssue.MissingInstallationDate => "Installation date is missing.",
        QualityIssue.NeverInspected => "No inspection recorded.",
        QualityIssue.StaleInspection => $"Last inspection is more than {StaleInspectionYears} years old.",
        QualityIssue.MissingGeometry => "No location on the map.",
        QualityIssue.MissingDistrict => "No district.",
        QualityIssue.PastExpectedLife => "Past its expected service life (renewal backlog).",
        QualityIssue.MissingReplacementCost => "Replacement cost is missing.",
        QualityIssue.OutOfRange => "A value is outside its allowed range, or the location lies outside the asset's district.",
        _ => issue.ToString(),
    };
}
