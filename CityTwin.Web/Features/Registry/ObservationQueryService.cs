using CityTwin.Domain.Observations;
using CityTwin.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.Registry;

/// <summary>The recent measurements of an asset: its own series, or those of the sensors linked to it.</summary>
public sealed record AssetSeries(string SourceId, string Label, string UnitLabel, IReadOnlyList<(DateTimeOffset At, double Value)> Hourly,
    IReadOnlyList<(DateOnly Day, double Mean, double Min, double Max)> Daily);

public sealed class ObservationQueryService(IDbContextFactory<CityTwinDbContext> dbFactory)
{
    /// <summary>The last <paramref name="days"/> days (ending at the latest observation) of every series about an asset.</summary>
    public async Task<IReadOnlyList<AssetSeries>> ForAssetAsync(string assetId, int days = 30, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sensors = db.AssetLinks.Where(l => l.TargetId == assetId).Select(l => l.AssetId);
        var series = await db.ObservationSeries.AsNoTracking()
            .Where(s => s.SourceId == assetId || sensors.Contains(s.SourceId))
            .OrderBy(s => s.Id).Take(6).ToListAsync(ct);
        var result = new List<AssetSeries>();
        foreach (var s in series)
        {
            var last = await db.Observations.Where(o => o.SeriesId == s.Id).MaxAsync(o => (long?)o.ObservedAt, ct);
            if (last is null)
            {
                continue;
            }

            var from = last.Value - (days * 86_400L);
            var rows = await db.Observations.AsNoTracking().Where(o => o.SeriesId == s.Id && o.ObservedAt > from)
                .OrderBy(o => o.ObservedAt).Select(o => new { o.ObservedAt, o.Value }).ToListAsync(ct);
            var hourly = rows.Select(r => (DateTimeOffset.FromUnixTimeSeconds(r.ObservedAt), r.Value)).ToList();
            var daily = hourly.GroupBy(p => DateOnly.FromDateTime(p.Item1.UtcDateTime))
                .Select(g => (g.Key, Math.Round(g.Average(p => p.Value), 2), g.Min(p => p.Value), g.Max(p => p.Value))).ToList();
            var quantity = ObservedQuantity.Find(s.Quantity);
            result.Add(new AssetSeries(s.SourceId, quantity?.Label ?? s.Quantity, quantity?.UnitLabel ?? s.UnitCode, hourly, daily));
        }

        return result;
    }
}
