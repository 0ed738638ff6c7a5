using CityTwin.Domain.Assets;
using CityTwin.Web.Data;
using CityTwin.Web.Data.Records;
using CityTwin.Web.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.Assets;

/// <summary>
/// Read side of the registry for overviews and searches. Bounding-box queries go through the R*Tree and text through
/// FTS5 (see <see cref="SqliteSearchIndexes"/>); everything else is ordinary indexed LINQ.
/// </summary>
public sealed class AssetQueryService(IDbContextFactory<CityTwinDbContext> dbFactory)
{
    public const int MaxLimit = 5000;

    private static readonly string Decommissioned = nameof(AssetStatus.Decommissioned);
    private static readonly string Public = nameof(PublicationClass.Public);

    public async Task<RegistryOverview> OverviewAsync(bool publicOnly, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = Visible(db.Assets.AsNoTracking(), publicOnly);
        var byType = await visible
            .GroupBy(a => a.Type)
            .Select(g => new
            {
                Type = g.Key,
                Total = g.Count(),
                Active = g.Count(a => a.Status == "Active"),
                Attention = g.Count(a => a.Status == "UnderMaintenance" || a.Status == "OutOfService"),
                Poor = g.Count(a => a.Condition != null && a.Condition <= Asset.PoorConditionThreshold),
                Average = g.Average(a => (double?)a.Condition),
            })
            .ToListAsync(ct);
        var types = byType
            .Select(t => new TypeCount(t.Type, AssetTypeCatalog.Find(t.Type)?.PluralLabel ?? t.Type, t.Total, t.Active, t.Attention, t.Poor,
                t.Average is { } avg ? Math.Round(avg, 2) : null))
            .OrderByDescending(t => t.Total)
            .ToList();
        var inspected = await visible.CountAsync(a => a.Condition != null, ct);
        var good = await visible.CountAsync(a => a.Condition >= 4, ct);
        var decommissioned = publicOnly ? 0 : await db.Assets.CountAsync(a => a.Status == Decommissioned, ct);
        var observations = await db.Observations.LongCountAsync(ct);
        var sensors = await db.ObservationSeries.Select(s => s.SourceId).Distinct().CountAsync(ct);
        var perDistrict = await visible.Where(a => a.DistrictCode != null).GroupBy(a => a.DistrictCode!)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var districts = await db.Districts.AsNoTracking().OrderBy(d => d.Name).ToListAsync(ct);
        return new RegistryOverview(types.Sum(t => t.Total), decommissioned, sensors, observations, types,
            [.. districts.Select(d => new DistrictSummary(d.Code, d.Name, d.Population, perDistrict.GetValueOrDefault(d.Code), d.Boundary))],
            inspected == 0 ? 0 : (double)good / inspected);
    }

    /// <summary>Assets by bounding box (R*Tree), text (FTS5) and type; capped at <see cref="MaxLimit"/>. Without a box, in key order.</summary>
    public async Task<IReadOnlyList<AssetSummary>> SearchAsync(AssetSearch search, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Filter(db, search);
        var limit = Math.Clamp(search.Limit, 1, MaxLimit);
        // A box query keeps the R*Tree's (deterministic) order: sorting every hit by key would cost more than the lookup.
        if (search.Bounds is null)
        {
            query = query.OrderBy(a => a.Seq);
        }

        return await query.Take(limit)
            .Select(a => new AssetSummary(a.Id, a.Type, a.Name, a.Status, a.Condition, a.DistrictCode, a.Address, a.Publication, a.Geometry))
            .ToListAsync(ct);
    }

    /// <summary>Names and types of the given assets (unknown ids are left out), for pickers and link lists.</summary>
    public async Task<IReadOnlyDictionary<string, AssetSummary>> FindSummariesAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return new Dictionary<string, AssetSummary>(StringComparer.Ordinal);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Assets.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new AssetSummary(a.Id, a.Type, a.Name, a.Status, a.Condition, a.DistrictCode, a.Address, a.Publication, null))
            .ToDictionaryAsync(a => a.Id, StringComparer.Ordinal, ct);
    }

    public async Task<int> CountAsync(AssetSearch search, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Filter(db, search).CountAsync(ct);
    }

    internal static IQueryable<AssetRecord> Filter(CityTwinDbContext db, AssetSearch search)
    {
        IQueryable<AssetRecord> query;
        if (search.Bounds is { } b)
        {
            query = db.Assets.FromSqlRaw(SqliteSearchIndexes.AssetsInBounds, b.West, b.East, b.South, b.North);
            if (SqliteSearchIndexes.ToMatchQuery(search.Text) is { } match)
            {
                var matching = db.Assets.FromSqlRaw(SqliteSearchIndexes.AssetsMatchingText, match).Select(a => a.Seq);
                query = query.Where(a => matching.Contains(a.Seq));
            }
        }
        else if (SqliteSearchIndexes.ToMatchQuery(search.Text) is { } match)
        {
            query = db.Assets.FromSqlRaw(SqliteSearchIndexes.AssetsMatchingText, match);
        }
        else
        {
            query = db.Assets;
        }

        query = Visible(query.AsNoTracking(), search.PublicOnly);
        if (!string.IsNullOrEmpty(search.Type))
        {
            query = query.Where(a => a.Type == search.Type);
        }

        return query;
    }

    private static IQueryable<AssetRecord> Visible(IQueryable<AssetRecord> query, bool publicOnly)
    {
        query = query.Where(a => a.Status != Decommissioned);
        return publicOnly ? query.Where(a => a.Publication == Public) : query;
    }
}
