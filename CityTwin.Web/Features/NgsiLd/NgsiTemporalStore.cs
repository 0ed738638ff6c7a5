using CityTwin.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>
/// The temporal evolution of entities from the registry's observations: each series (a quantity measured by a sensor
/// or about an asset) is an attribute of the entity whose id is the series' source, named by the quantity's IRI. The
/// time relation and <c>lastN</c> run in the database on the (series, time) key; at most <c>TemporalLimit</c>
/// instances per attribute are returned (the answer is then partial, 6.3.10).
/// </summary>
public sealed class NgsiTemporalStore(IDbContextFactory<CityTwinDbContext> dbFactory)
{
    private sealed record Series(int Id, string SourceId, string Iri, string UnitCode);

    /// <summary>The ids of every entity with observations (of one of <paramref name="attrs"/> when given).</summary>
    public async Task<HashSet<string>> SourcesAsync(IReadOnlySet<string>? attrs, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var series = await db.ObservationSeries.AsNoTracking().Select(s => new { s.SourceId, s.Quantity }).ToListAsync(ct);
        return series.Where(s => attrs is null || attrs.Contains(s.Quantity)).Select(s => s.SourceId).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The entity's series (only the attributes in <paramref name="attrs"/> when given) as the query asks for them.</summary>
    public async Task<List<TemporalAttribute>> ReadAsync(string entityId, IReadOnlySet<string>? attrs, NgsiTemporalQuery query, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var series = await db.ObservationSeries.AsNoTracking().Where(s => s.SourceId == entityId)
            .OrderBy(s => s.Id).Select(s => new Series(s.Id, s.SourceId, s.Quantity, s.UnitCode)).ToListAsync(ct);
        var (from, to) = query.Range;
        var result = new List<TemporalAttribute>();
        foreach (var s in series.Where(s => attrs is null || attrs.Contains(s.Iri)))
        {
            var rows = db.Observations.AsNoTracking().Where(o => o.SeriesId == s.Id && o.ObservedAt >= from && o.ObservedAt < to);
            // Aggregations read the whole range; instances stop at lastN / the limit (one more row tells whether more exist).
            var take = query.Format == TemporalFormat.Aggregated ? int.MaxValue : Math.Min(query.LastN ?? int.MaxValue, limit);
            var fetched = query.LastN is not null && query.Format != TemporalFormat.Aggregated
                ? (await rows.OrderByDescending(o => o.ObservedAt).Take(take + 1).Select(o => new { o.ObservedAt, o.Value }).ToListAsync(ct)).AsEnumerable().Reverse().ToList()
                : await rows.OrderBy(o => o.ObservedAt).Take(take == int.MaxValue ? int.MaxValue : take + 1).Select(o => new { o.ObservedAt, o.Value }).ToListAsync(ct);
            var truncated = fetched.Count > take;
            if (truncated)
            {
                fetched = query.LastN is not null ? fetched.Skip(1).ToList() : fetched.Take(take).ToList();
            }

            if (query.Format == TemporalFormat.Aggregated && query.LastN is { } n && fetched.Count > n)
            {
                fetched = fetched.Skip(fetched.Count - n).ToList();
            }

            result.Add(new TemporalAttribute(s.Iri, s.UnitCode, [.. fetched.Select(r => (r.ObservedAt, r.Value))], truncated));
        }

        return result;
    }
}
