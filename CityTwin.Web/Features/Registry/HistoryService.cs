using CityTwin.Domain.Assets;
using CityTwin.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.Registry;

public sealed record ChangeEntry(long Id, string AssetId, long Version, DateTimeOffset At, string Actor, string ActorKind, string Operation,
    string Field, string? From, string? To, string? Reason, string? BatchId);

public sealed record ChangeLogFilter(string? AssetId = null, string? Actor = null, string? Operation = null, DateTimeOffset? From = null,
    DateTimeOffset? To = null, int Skip = 0, int Take = 100);

/// <summary>Reads the change log and past versions: an asset's history, the registry-wide log, and "as of" views.</summary>
public sealed class HistoryService(IDbContextFactory<CityTwinDbContext> dbFactory)
{
    public async Task<IReadOnlyList<ChangeEntry>> ForAssetAsync(string assetId, CancellationToken ct = default) =>
        (await LogAsync(new ChangeLogFilter(AssetId: assetId, Take: 1000), ct)).Entries;

    public async Task<(IReadOnlyList<ChangeEntry> Entries, int Total)> LogAsync(ChangeLogFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.AssetChanges.AsNoTracking();
        if (!string.IsNullOrEmpty(filter.AssetId))
        {
            query = query.Where(c => c.AssetId == filter.AssetId);
        }

        if (!string.IsNullOrEmpty(filter.Actor))
        {
            query = query.Where(c => c.Actor.Contains(filter.Actor));
        }

        if (!string.IsNullOrEmpty(filter.Operation))
        {
            query = query.Where(c => c.Operation == filter.Operation);
        }

        if (filter.From is { } from)
        {
            query = query.Where(c => c.At >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(c => c.At < to);
        }

        var total = await query.CountAsync(ct);
        var entries = await query.OrderByDescending(c => c.Id).Skip(Math.Max(0, filter.Skip)).Take(Math.Clamp(filter.Take, 1, 1000))
            .Select(c => new ChangeEntry(c.Id, c.AssetId, c.Version, c.At, c.Actor, c.ActorKind, c.Operation, c.Field, c.From, c.To, c.Reason, c.BatchId))
            .ToListAsync(ct);
        return (entries, total);
    }

    /// <summary>The asset as it was at <paramref name="at"/>; null if it did not exist then.</summary>
    public async Task<Asset?> AsOfAsync(string assetId, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var current = await db.Assets.AsNoTracking().Include(a => a.Links).SingleOrDefaultAsync(a => a.Id == assetId, ct);
        if (current is not null && current.ModifiedAt <= at)
        {
            return AssetMapper.ToDomain(current);
        }

        var version = await db.AssetVersions.AsNoTracking()
            .Where(v => v.AssetId == assetId && v.ValidFrom <= at && v.ValidTo > at)
            .OrderByDescending(v => v.ValidFrom).FirstOrDefaultAsync(ct);
        return version is null ? null : AssetMapper.ToDomain(AssetStore.FromSnapshot(version.Snapshot));
    }
}
