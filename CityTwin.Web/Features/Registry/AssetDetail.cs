using CityTwin.Domain.Assets;
using CityTwin.Domain.Geography;
using CityTwin.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.Registry;

/// <summary>An asset linked to the one shown, in either direction.</summary>
public sealed record LinkedAsset(string Id, string? Name, string? Type, string RelationshipIri)
{
    public string RelationshipLabel => AssetTypeCatalog.All.SelectMany(t => t.Attributes).FirstOrDefault(a => a.Iri == RelationshipIri)?.Label
        ?? RelationshipIri[(RelationshipIri.LastIndexOfAny(['/', '#', ':']) + 1)..];
}

public sealed record AssetDetail(Asset Asset, IReadOnlyList<LinkedAsset> Outgoing, IReadOnlyList<LinkedAsset> Incoming, DateOnly? AsOf)
{
    /// <summary>The asset's district (name and bounding box), when it has one the registry knows.</summary>
    public string? DistrictName { get; init; }

    public GeoBounds? DistrictBounds { get; init; }
}

/// <summary>Reads one asset with its relationships both ways, now or as of a past day.</summary>
public sealed class AssetDetailService(IDbContextFactory<CityTwinDbContext> dbFactory, HistoryService history)
{
    public async Task<AssetDetail?> GetAsync(string id, DateOnly? asOf, CancellationToken ct = default)
    {
        Asset? asset;
        if (asOf is { } day)
        {
            asset = await history.AsOfAsync(id, new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero), ct);
        }
        else
        {
            await using var db0 = await dbFactory.CreateDbContextAsync(ct);
            var record = await db0.Assets.AsNoTracking().Include(a => a.Links).SingleOrDefaultAsync(a => a.Id == id, ct);
            asset = record is null ? null : AssetMapper.ToDomain(record);
        }

        if (asset is null)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var targets = asset.Relationships.Select(r => r.Target.Value).Distinct().ToList();
        var names = await db.Assets.AsNoTracking().Where(a => targets.Contains(a.Id)).Select(a => new { a.Id, a.Name, a.Type }).ToDictionaryAsync(a => a.Id, ct);
        var outgoing = asset.Relationships
            .Select(r => new LinkedAsset(r.Target.Value, names.GetValueOrDefault(r.Target.Value)?.Name, names.GetValueOrDefault(r.Target.Value)?.Type, r.Iri))
            .ToList();
        var incoming = await (from l in db.AssetLinks.AsNoTracking()
                              join a in db.Assets.AsNoTracking() on l.AssetId equals a.Id
                              where l.TargetId == id
                              orderby a.Name
                              select new LinkedAsset(a.Id, a.Name, a.Type, l.Iri)).Take(500).ToListAsync(ct);
        var district = asset.DistrictCode is null ? null
            : await db.Districts.AsNoTracking().Where(d => d.Code == asset.DistrictCode).Select(d => new { d.Name, d.MinLon, d.MinLat, d.MaxLon, d.MaxLat }).SingleOrDefaultAsync(ct);
        return new AssetDetail(asset, outgoing, incoming, asOf)
        {
            DistrictName = district?.Name,
            DistrictBounds = district is null ? null : new GeoBounds(district.MinLon, district.MinLat, district.MaxLon, district.MaxLat),
        };
    }
}
