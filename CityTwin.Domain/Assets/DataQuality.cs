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
}

/// <summary>Data-quality checks of one asset: what a curator should complete or verify.</summary>
public static class DataQuality
{
    /// <summary>An inspection older than this many years is stale.</summary>
    public const int StaleInspectionYears = 5;

    public static IReadOnlyList<QualityIssue> IssuesOf(Asset asset, DateOnly today)
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

        return issues;
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
        _ => issue.ToString(),
    };
}
