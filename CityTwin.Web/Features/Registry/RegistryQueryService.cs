using CityTwin.Domain.Assets;
using CityTwin.Web.Data;
using CityTwin.Web.Data.Records;
using CityTwin.Web.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.Registry;

/// <summary>
/// Server-side paging, sorting and filtering of the registry list (never the whole set in a circuit). Text goes
/// through the FTS5 index; the "as of" view reads current rows and closed versions.
/// </summary>
public sealed class RegistryQueryService(IDbContextFactory<CityTwinDbContext> dbFactory, TimeProvider time)
{
    public const int MaxPageSize = 500;

    public async Task<RegistryResult> QueryAsync(RegistryFilter filter, RegistrySort sort, int skip, int take, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(sort);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        take = Math.Clamp(take, 1, MaxPageSize);
        skip = Math.Max(0, skip);
        if (filter.AsOf is { } day)
        {
            return await AsOfAsync(db, filter, sort, day, skip, take, ct);
        }

        var outOfRange = filter.Issue == QualityIssue.OutOfRange ? await DataQualityService.OutOfRangeAsync(db, ct) : null;
        var query = Filter(db, filter, Today, outOfRange);
        var total = await query.CountAsync(ct);
        var rows = await Sort(query, sort).Skip(skip).Take(take)
            .Select(a => new RegistryRow(a.Id, a.Type, a.Name, a.Status, a.Condition, a.InspectedOn, a.InstalledOn, a.DistrictCode, a.Department,
                a.Address, a.Publication, a.ReplacementCost, a.ModifiedAt, a.Version))
            .ToListAsync(ct);
        return new RegistryResult(rows, total);
    }

    public async Task<IReadOnlyList<(string Code, string Name)>> DistrictsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Districts.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.Code, d.Name }).ToListAsync(ct);
        return [.. rows.Select(r => (r.Code, r.Name))];
    }

    /// <summary>The (id, version) of every asset matching a filter: the target set of a bulk edit.</summary>
    public async Task<IReadOnlyList<(string Id, long Version)>> TargetsAsync(RegistryFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await Filter(db, filter with { AsOf = null }, Today).Select(a => new { a.Id, a.Version }).ToListAsync(ct);
        return [.. rows.Select(r => (r.Id, r.Version))];
    }

    private DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>
    /// The filter as a query. <paramref name="outOfRange"/>: the precomputed out-of-range set
    /// (<see cref="DataQualityService.OutOfRangeAsync"/>); without it that issue is tested row by row.
    /// </summary>
    internal static IQueryable<AssetRecord> Filter(CityTwinDbContext db, RegistryFilter f, DateOnly today, IReadOnlyCollection<long>? outOfRange = null)
    {
        var query = SqliteSearchIndexes.ToMatchQuery(f.Text) is { } match
            ? db.Assets.FromSqlRaw(SqliteSearchIndexes.AssetsMatchingText, match)
            : db.Assets;
        query = Columns(query.AsNoTracking(), f);
        if (f.Issue is { } issue)
        {
            query = query.Where(DataQualityService.Predicate(issue, today, db.Districts.AsNoTracking(), outOfRange));
        }

        return query;
    }

    /// <summary>The filters on columns both current rows and past versions have (everything but text and data quality).</summary>
    private static IQueryable<T> Columns<T>(IQueryable<T> query, RegistryFilter f) where T : IRegistryColumns
    {
        if (!f.IncludeDecommissioned && f.Status != "Decommissioned")
        {
            query = query.Where(a => a.Status != "Decommissioned");
        }

        if (f.Type is { } type)
        {
            query = query.Where(a => a.Type == type);
        }

        if (f.District is { } district)
        {
            query = district == RegistryFilterValues.None ? query.Where(a => a.DistrictCode == null) : query.Where(a => a.DistrictCode == district);
        }

        if (f.Status is { } status)
        {
            query = query.Where(a => a.Status == status);
        }

        if (f.ConditionMin is { } cmin)
        {
            query = query.Where(a => a.Condition >= cmin);
        }

        if (f.ConditionMax is { } cmax)
        {
            query = query.Where(a => a.Condition <= cmax);
        }

        if (f.InstalledFrom is { } yfrom)
        {
            var from = new DateOnly(yfrom, 1, 1);
            query = query.Where(a => a.InstalledOn >= from);
        }

        if (f.InstalledTo is { } yto)
        {
            var to = new DateOnly(yto, 12, 31);
            query = query.Where(a => a.InstalledOn <= to);
        }

        if (f.Publication is { } publication)
        {
            query = query.Where(a => a.Publication == publication);
        }

        return query;
    }

    private static IQueryable<AssetRecord> Sort(IQueryable<AssetRecord> q, RegistrySort s) => (s.Column, s.Descending) switch
    {
        ("type", false) => q.OrderBy(a => a.Type).ThenBy(a => a.Seq),
        ("type", true) => q.OrderByDescending(a => a.Type).ThenBy(a => a.Seq),
        ("status", false) => q.OrderBy(a => a.Status).ThenBy(a => a.Seq),
        ("status", true) => q.OrderByDescending(a => a.Status).ThenBy(a => a.Seq),
        ("condition", false) => q.OrderBy(a => a.Condition).ThenBy(a => a.Seq),
        ("condition", true) => q.OrderByDescending(a => a.Condition).ThenBy(a => a.Seq),
        ("district", false) => q.OrderBy(a => a.DistrictCode).ThenBy(a => a.Seq),
        ("district", true) => q.OrderByDescending(a => a.DistrictCode).ThenBy(a => a.Seq),
        ("installedOn", false) => q.OrderBy(a => a.InstalledOn).ThenBy(a => a.Seq),
        ("installedOn", true) => q.OrderByDescending(a => a.InstalledOn).ThenBy(a => a.Seq),
        ("inspectedOn", false) => q.OrderBy(a => a.InspectedOn).ThenBy(a => a.Seq),
        ("inspectedOn", true) => q.OrderByDescending(a => a.InspectedOn).ThenBy(a => a.Seq),
        ("replacementCost", false) => q.OrderBy(a => a.ReplacementCost).ThenBy(a => a.Seq),
        ("replacementCost", true) => q.OrderByDescending(a => a.ReplacementCost).ThenBy(a => a.Seq),
        ("modifiedAt", false) => q.OrderBy(a => a.ModifiedAt).ThenBy(a => a.Seq),
        ("modifiedAt", true) => q.OrderByDescending(a => a.ModifiedAt).ThenBy(a => a.Seq),
        (_, true) => q.OrderByDescending(a => a.Name).ThenBy(a => a.Seq),
        _ => q.OrderBy(a => a.Name).ThenBy(a => a.Seq),
    };

    /// <summary>The registry at the end of a day: current rows unchanged since, plus the versions that were valid then.</summary>
    private static async Task<RegistryResult> AsOfAsync(CityTwinDbContext db, RegistryFilter f, RegistrySort sort, DateOnly day, int skip, int take, CancellationToken ct)
    {
        var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero).ToUnixTimeMilliseconds();
        var query = db.Database.SqlQuery<AsOfRow>($"""
            SELECT Id, Type, Name, Status, Condition, DistrictCode, Publication, Version, InstalledOn FROM Assets WHERE CreatedAt <= {at} AND ModifiedAt <= {at}
            UNION ALL
            SELECT AssetId AS Id, Type, Name, Status, Condition, DistrictCode, Publication, Version, json_extract(Snapshot, '$.InstalledOn') AS InstalledOn
            FROM AssetVersions WHERE ValidFrom <= {at} AND ValidTo > {at}
            """);
        query = Columns(query, f);
        if (f.Text is { } text)
        {
            query = query.Where(a => EF.Functions.Like(a.Name, "%" + text + "%"));
        }

        var total = await query.CountAsync(ct);
        query = sort.Column switch
        {
            "condition" => sort.Descending ? query.OrderByDescending(a => a.Condition) : query.OrderBy(a => a.Condition),
            "type" => sort.Descending ? query.OrderByDescending(a => a.Type) : query.OrderBy(a => a.Type),
            "status" => sort.Descending ? query.OrderByDescending(a => a.Status) : query.OrderBy(a => a.Status),
            "district" => sort.Descending ? query.OrderByDescending(a => a.DistrictCode) : query.OrderBy(a => a.DistrictCode),
            "installedOn" => sort.Descending ? query.OrderByDescending(a => a.InstalledOn) : query.OrderBy(a => a.InstalledOn),
            _ => sort.Descending ? query.OrderByDescending(a => a.Name) : query.OrderBy(a => a.Name),
        };
        var rows = await query.Skip(skip).Take(take).ToListAsync(ct);
        return new RegistryResult([.. rows.Select(r => new RegistryRow(r.Id, r.Type, r.Name, r.Status, r.Condition, null, r.InstalledOn, r.DistrictCode, null, null,
            r.Publication, null, null, r.Version))], total)
        {
            // Data-quality checks are about today's records (stale inspection, past expected life: relative to today).
            NotApplied = f.Issue is { } issue ? [$"data quality ({DataQuality.Describe(issue).TrimEnd('.')})"] : [],
        };
    }

    private sealed record AsOfRow(string Id, string Type, string Name, string Status, int? Condition, string? DistrictCode, string Publication, long Version,
        DateOnly? InstalledOn) : IRegistryColumns;
}

public static class RegistryFilterValues
{
    /// <summary>District filter value meaning "no district recorded" (a data-quality drill-down).</summary>
    public const string None = "-";
}
