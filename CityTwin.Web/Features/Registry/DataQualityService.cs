using System.Linq.Expressions;
using CityTwin.Domain.Assets;
using CityTwin.Web.Data;
using CityTwin.Web.Data.Records;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.Registry;

public sealed record QualityCell(string Key, int Total, IReadOnlyDictionary<QualityIssue, int> Issues)
{
    /// <summary>Share of assets with none of the completeness issues (install date, inspection, geometry, district).</summary>
    public double Completeness { get; init; }
}

public sealed record QualityReport(IReadOnlyList<QualityCell> ByType, IReadOnlyList<QualityCell> ByDistrict, QualityCell Overall);

/// <summary>
/// Data-quality counts per asset type and per district. The predicates are the same ones the registry list filters
/// on (<c>issue=</c>), so every number drills down to exactly the records it counts.
/// </summary>
public sealed class DataQualityService(IDbContextFactory<CityTwinDbContext> dbFactory, TimeProvider time)
{
    public static IReadOnlyList<QualityIssue> Shown { get; } =
    [
        QualityIssue.MissingInstallationDate, QualityIssue.NeverInspected, QualityIssue.StaleInspection, QualityIssue.MissingGeometry,
        QualityIssue.MissingDistrict, QualityIssue.PastExpectedLife, QualityIssue.MissingReplacementCost,
    ];

    private static readonly QualityIssue[] Completeness =
        [QualityIssue.MissingInstallationDate, QualityIssue.NeverInspected, QualityIssue.StaleInspection, QualityIssue.MissingGeometry, QualityIssue.MissingDistrict];

    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>The SQL-translatable test of one issue, shared by the counts and the list filter.</summary>
    internal static Expression<Func<AssetRecord, bool>> Predicate(QualityIssue issue, DateOnly today)
    {
        var staleBefore = today.AddYears(-DataQuality.StaleInspectionYears);
        return issue switch
        {
            QualityIssue.MissingInstallationDate => a => a.InstalledOn == null && a.Status != "Planned",
            QualityIssue.NeverInspected => a => a.InspectedOn == null && a.Status != "Planned",
            QualityIssue.StaleInspection => a => a.InspectedOn != null && a.InspectedOn < staleBefore,
            QualityIssue.MissingGeometry => a => a.Geometry == null,
            QualityIssue.MissingDistrict => a => a.DistrictCode == null,
            QualityIssue.PastExpectedLife => a => a.InstalledOn != null && a.ExpectedLifeYears != null && a.InstalledOn.Value.AddYears(a.ExpectedLifeYears.Value) < today,
            _ => a => a.ReplacementCost == null && a.Type != "StreetlightGroup",
        };
    }

    /// <summary>Any completeness issue (the complement of "complete").</summary>
    private static Expression<Func<AssetRecord, bool>> Incomplete(DateOnly today)
    {
        var staleBefore = today.AddYears(-DataQuality.StaleInspectionYears);
        return a => (a.InstalledOn == null && a.Status != "Planned") || (a.InspectedOn == null && a.Status != "Planned") ||
                    (a.InspectedOn != null && a.InspectedOn < staleBefore) || a.Geometry == null || a.DistrictCode == null;
    }

    public async Task<QualityReport> ReportAsync(CancellationToken ct = default)
    {
        var today = Today;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var live = db.Assets.AsNoTracking().Where(a => a.Status != "Decommissioned");
        var totals = await live.GroupBy(a => new { a.Type, a.DistrictCode }).Select(g => new { g.Key.Type, g.Key.DistrictCode, Count = g.Count() }).ToListAsync(ct);
        var incomplete = await live.Where(Incomplete(today)).GroupBy(a => new { a.Type, a.DistrictCode })
            .Select(g => new { g.Key.Type, g.Key.DistrictCode, Count = g.Count() }).ToListAsync(ct);
        var perIssue = new Dictionary<QualityIssue, List<(string Type, string? District, int Count)>>();
        foreach (var issue in Shown)
        {
            var rows = await live.Where(Predicate(issue, today)).GroupBy(a => new { a.Type, a.DistrictCode })
                .Select(g => new { g.Key.Type, g.Key.DistrictCode, Count = g.Count() }).ToListAsync(ct);
            perIssue[issue] = [.. rows.Select(r => (r.Type, r.DistrictCode, r.Count))];
        }

        QualityCell Cell(string key, Func<string, string?, bool> match)
        {
            var total = totals.Where(t => match(t.Type, t.DistrictCode)).Sum(t => t.Count);
            var bad = incomplete.Where(t => match(t.Type, t.DistrictCode)).Sum(t => t.Count);
            return new QualityCell(key, total, Shown.ToDictionary(i => i, i => perIssue[i].Where(r => match(r.Type, r.District)).Sum(r => r.Count)))
            {
                Completeness = total == 0 ? 1 : 1 - (double)bad / total,
            };
        }

        var byType = totals.Select(t => t.Type).Distinct().Order(StringComparer.Ordinal).Select(type => Cell(type, (t, _) => t == type)).ToList();
        var byDistrict = totals.Select(t => t.DistrictCode ?? RegistryFilterValues.None).Distinct().Order(StringComparer.Ordinal)
            .Select(d => Cell(d, (_, district) => (district ?? RegistryFilterValues.None) == d)).ToList();
        return new QualityReport(byType, byDistrict, Cell("all", (_, _) => true));
    }
}
