using System.Diagnostics;
using System.Text.Json;
using CityTwin.Domain.Assets;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Interop;
using CityTwin.Web.Features.JsonLd;
using CityTwin.Web.Features.NgsiLd;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Benchmarks;

/// <summary>Where the time of an NGSI-LD read goes (no statistics): load rows, asset → entity, q, write JSON.</summary>
public static class NgsiReadProbe
{
    public static void Run()
    {
        using var bench = new BenchDatabase();
        var scale = double.TryParse(Environment.GetEnvironmentVariable("PROBE_SCALE"), System.Globalization.CultureInfo.InvariantCulture, out var sc) ? sc : 1.0;
        bench.Seed(scale, 0);
        // PROBE_CACHE=0 measures every read building its entities (the entity cache off).
        var cacheSize = int.TryParse(Environment.GetEnvironmentVariable("PROBE_CACHE"), out var cs) ? cs : new NgsiLdOptions().EntityCacheSize;
        using var cache = new NgsiEntityCache(Microsoft.Extensions.Options.Options.Create(new NgsiLdOptions { EntityCacheSize = cacheSize }));
        using var store = new NgsiEntityStore(new AssetStore(bench.Factory, TimeProvider.System), bench.Factory, TimeProvider.System, cache);
        Console.WriteLine($"scale {scale}, entity cache {cacheSize}");
        {
            // What the cache holds: every entity read once (up to its size), managed heap after a full collection.
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var (all, _) = store.QueryAsync(null, null, false, _ => true, 0, cacheSize > 0 ? cacheSize : 10_000, default, total: false).GetAwaiter().GetResult();
            var count = all.Count;
            all = null;
            var after = GC.GetTotalMemory(forceFullCollection: true);
            Console.WriteLine($"entity cache filled with {count} entities: managed heap +{(after - before) / 1048576.0:F1} MiB = {(after - before) / Math.Max(1, count) / 1024.0:F1} KiB an entity");
        }

        var context = new JsonLdContext.Builder().Add(CityTwinContext.Terms).Build();
        var q = NgsiQuery.Parse("powerRating>100;lanternHeight<8", context);
        var types = new HashSet<string>([AssetTypeCatalog.Streetlight.Iri]);
        var how = new NgsiRepresentation(NgsiFormat.Normalized, false, context, null);
        for (var round = 0; round < 3; round++)
        {
            var clock = Stopwatch.StartNew();
            List<NgsiEntity> page = [];
            for (var i = 0; i < 50; i++)
            {
                (page, _) = store.QueryAsync(types, null, false, q.Matches, 0, 100, default, q, null, total: false).GetAwaiter().GetResult();
            }

            var query = clock.Elapsed.TotalMilliseconds / 50;
            var write = WriteMs(page, how);
            using var db = bench.Factory.CreateDbContext();
            var records = db.Assets.AsNoTracking().Include(a => a.Links).Where(a => a.Type == "Streetlight").OrderBy(a => a.Seq).Take(100).ToList();
            clock.Restart();
            for (var i = 0; i < 50; i++)
            {
                _ = db.Assets.AsNoTracking().Include(a => a.Links).Where(a => a.Type == "Streetlight").OrderBy(a => a.Seq).Take(100).ToList();
            }

            var load = clock.Elapsed.TotalMilliseconds / 50;
            clock.Restart();
            var assets = new List<Asset>();
            for (var i = 0; i < 50; i++)
            {
                assets = [.. records.Select(AssetMapper.ToDomain)];
            }

            var map = clock.Elapsed.TotalMilliseconds / 50;
            clock.Restart();
            for (var i = 0; i < 50; i++)
            {
                assets.ForEach(a => NgsiEntityStore.ToEntity(a, false));
            }

            var toEntity = clock.Elapsed.TotalMilliseconds / 50;
            var ids = records.Select(r => r.Id).ToList();
            clock.Restart();
            foreach (var id in ids.Concat(ids).Concat(ids))
            {
                _ = store.FindAsync(id, false, default).GetAwaiter().GetResult();
            }

            var find = clock.Elapsed.TotalMilliseconds / (ids.Count * 3);
            clock.Restart();
            for (var i = 0; i < 2000; i++)
            {
                using var ctx = bench.Factory.CreateDbContext();
                _ = ctx.Assets.AsNoTracking().Where(a => a.Id == ids[i % ids.Count]).Select(a => a.Seq).FirstOrDefault();
            }

            var contextAndPk = clock.Elapsed.TotalMilliseconds / 2000;
            clock.Restart();
            for (var i = 0; i < 2000; i++)
            {
                _ = new AssetStore(bench.Factory, TimeProvider.System).FindAsync(ids[i % ids.Count]).GetAwaiter().GetResult();
            }

            var assetFind = clock.Elapsed.TotalMilliseconds / 2000;
            // within: a 0.02° square at the median street light, limit 100 (as the load run asks).
            var median = db.Assets.AsNoTracking().Where(a => a.Type == "Streetlight").OrderBy(a => a.Seq).Skip(1900).Select(a => new { a.MinLon, a.MinLat }).First();
            var (w0, s0) = (median.MinLon!.Value - 0.01, median.MinLat!.Value - 0.01);
            var square = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[[[{w0},{s0}],[{w0 + 0.02},{s0}],[{w0 + 0.02},{s0 + 0.02}],[{w0},{s0 + 0.02}],[{w0},{s0}]]]");
            var geo = NgsiGeoQuery.Parse("within", "Polygon", square, NgsiTerms.Location)!;
            List<NgsiEntity> inside = [];
            clock.Restart();
            for (var i = 0; i < 50; i++)
            {
                (inside, _) = store.QueryAsync(null, null, false, geo.Matches, 0, 100, default, null, geo, total: false).GetAwaiter().GetResult();
            }

            var within = clock.Elapsed.TotalMilliseconds / 50;
            clock.Restart();
            for (var i = 0; i < 50; i++)
            {
                inside.ForEach(e => geo.Matches(e));
            }

            var withinMatch = clock.Elapsed.TotalMilliseconds / 50;
            var withinWrite = WriteMs(inside, how);
            Console.WriteLine($"within page of {inside.Count}: query {within:F2} ms (of which geo test {withinMatch:F2} ms), write {withinWrite:F2} ms");
            Console.WriteLine($"EF context + PK select {contextAndPk:F3} ms; AssetStore.FindAsync {assetFind:F3} ms");
            Console.WriteLine($"type+q page of {page.Count}: query {query:F2} ms, write {write:F2} ms | 100 rows: load {load:F2} ms, map {map:F2} ms, toEntity {toEntity:F2} ms | find by id {find:F3} ms");
        }
    }

    /// <summary>Milliseconds to write a page as a JSON array (mean of 50).</summary>
    private static double WriteMs(List<NgsiEntity> page, NgsiRepresentation how)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 50; i++)
        {
            using var stream = new MemoryStream();
            using var w = new Utf8JsonWriter(stream);
            w.WriteStartArray();
            page.ForEach(e => NgsiEntityWriter.Write(w, e, how));
            w.WriteEndArray();
        }

        return clock.Elapsed.TotalMilliseconds / 50;
    }
}
