using System.Linq.Expressions;
using CityTwin.Domain.Assets;
using CityTwin.Web.Data;
using CityTwin.Web.Data.Records;
using CityTwin.Web.Data.Sqlite;
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
        QualityIssue.MissingDistrict, QualityIssue.PastExpectedLife, QualityIssue.MissingReplacementCost, QualityIssue.OutOfRange,
    ];

    private static readonly QualityIssue[] Completeness =
        [QualityIssue.MissingInstallationDate, QualityIssue.NeverInspected, QualityIssue.StaleInspection, QualityIssue.MissingGeometry, QualityIssue.MissingDistrict];

    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>
    /// The SQL-translatable test of one issue, shared by the counts and the list filter. <paramref name="districts"/>:
    /// the district table of the same context (the out-of-range test compares locations with district boxes).
    /// </summary>
    internal static Expression<Func<AssetRecord, bool>> Predicate(QualityIssue issue, DateOnly today, IQueryable<DistrictRecord> districts,
        IReadOnlyCollection<long>? outOfRange = null)
    {
        if (issue == QualityIssue.OutOfRange && outOfRange is not null)
        {
            // One JSON-array parameter (json_each), not one SQL parameter per asset: the set can hold thousands.
            var seqs = outOfRange as long[] ?? [.. outOfRange];
            return a => EF.Parameter(seqs).Contains(a.Seq);
        }

        var staleBefore = today.AddYears(-DataQuality.StaleInspectionYears);
        return issue switch
        {
            QualityIssue.MissingInstallationDate => a => a.InstalledOn == null && a.Status != "Planned",
            QualityIssue.NeverInspected => a => a.InspectedOn == null && a.Status != "Planned",
            QualityIssue.StaleInspection => a => a.InspectedOn != null && a.InspectedOn < staleBefore,
            QualityIssue.MissingGeometry => a => a.Geometry == null,
            QualityIssue.MissingDistrict => a => a.DistrictCode == null,
            QualityIssue.PastExpectedLife => a => a.InstalledOn != null && a.ExpectedLifeYears != null && a.InstalledOn.Value.AddYears(a.ExpectedLifeYears.Value) < today,
            QualityIssue.OutOfRange => OutOfRange(districts),
            _ => a => a.ReplacementCost == null && a.Type != "StreetlightGroup",
        };
    }

    /// <summary>
    /// A number outside its definition's range (see <see cref="DataQuality.HasValueOutOfRange"/>), or a location whose
    /// box does not meet its district's box.
    /// </summary>
    private static Expression<Func<AssetRecord, bool>> OutOfRange(IQueryable<DistrictRecord> districts)
    {
        Expression<Func<AssetRecord, bool>> outsideDistrict = a => a.DistrictCode != null && a.MinLon != null && districts.Any(d => d.Code == a.DistrictCode &&
            (a.MaxLon < d.MinLon || a.MinLon > d.MaxLon || a.MaxLat < d.MinLat || a.MinLat > d.MaxLat));
        var a = outsideDistrict.Parameters[0];
        var body = outsideDistrict.Body;
        var attributes = Expression.Property(a, nameof(AssetRecord.Attributes));
        var jsonType = typeof(SqliteJson).GetMethod(nameof(SqliteJson.Type))!;
        var jsonNumber = typeof(SqliteJson).GetMethod(nameof(SqliteJson.Number))!;
        foreach (var type in AssetTypeCatalog.All)
        {
            Expression? anyOut = null;
            foreach (var def in type.Attributes.Where(d => d is { DataType: AttributeDataType.Number or AttributeDataType.Integer, Kind: AttributeKind.Property } && (d.Minimum is not null || d.Maximum is not null)))
            {
                var path = Expression.Constant(SqliteJson.ValuePath(def.Iri));
                var kind = Expression.Call(jsonType, attributes, path);
                var number = Expression.Call(jsonNumber, attributes, path);
                var isNumber = Expression.OrElse(Expression.Equal(kind, Expression.Constant("integer")), Expression.Equal(kind, Expression.Constant("real")));
                Expression? outside = null;
                if (def.Minimum is { } min)
                {
                    outside = Expression.LessThan(number, Expression.Constant(min, typeof(double?)));
                }

                if (def.Maximum is { } max)
                {
                    var above = Expression.GreaterThan(number, Expression.Constant(max, typeof(double?)));
                    outside = outside is null ? above : Expression.OrElse(outside, above);
                }

                var test = Expression.AndAlso(isNumber, outside!);
                anyOut = anyOut is null ? test : Expression.OrElse(anyOut, test);
            }

            if (anyOut is not null)
            {
                var ofType = Expression.Equal(Expression.Property(a, nameof(AssetRecord.Type)), Expression.Constant(type.Name));
                body = Expression.OrElse(body, Expression.AndAlso(ofType, anyOut));
            }
        }

        return Expression.Lambda<Func<AssetRecord, bool>>(body, a);
    }

    private sealed record OutOfRangeSet(string DataSource, RegistryState State, long[] Seqs);

    private sealed record RegistryState(int Count, long MaxSeq, long Modified);

    private static volatile OutOfRangeSet? _outOfRange;

    /// <summary>Drops the kept out-of-range set (the next report or drill-down scans again).</summary>
    public static void ForgetOutOfRange() => _outOfRange = null;

    /// <summary>
    /// The assets (by <c>Seq</c>) with a value out of range or a location outside their district. The test parses every
    /// typed attribute document (a full scan, ~0.4 s at 100k assets), so the set is kept for as long as the registry
    /// is unchanged (same count, last row and last modification): the report and its drill-down share one scan.
    /// </summary>
    internal static async Task<IReadOnlyCollection<long>> OutOfRangeAsync(CityTwinDbContext db, CancellationToken ct)
    {
        var source = db.Database.GetConnectionString() ?? "";
        var state = (await db.Database.SqlQueryRaw<RegistryState>(
            "SELECT count(*) AS Count, ifnull(max(Seq), 0) AS MaxSeq, ifnull(max(ModifiedAt), 0) AS Modified FROM Assets").ToListAsync(ct))[0];
        if (_outOfRange is { } cached && cached.DataSource == source && cached.State == state)
        {
            return cached.Seqs;
        }

        var seqs = await db.Assets.AsNoTracking().Where(OutOfRange(db.Districts.AsNoTracking())).Select(a => a.Seq).ToArrayAsync(ct);
        _outOfRange = new OutOfRangeSet(source, state, seqs);
        return seqs;
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
        var outOfRange = await OutOfRangeAsync(db, ct);
        foreach (var issue in Shown)
        {
            var rows = await live.Where(Predicate(issue, today, db.Districts.AsNoTracking(), outOfRange)).GroupBy(a => new { a.Type, a.DistrictCode })
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
