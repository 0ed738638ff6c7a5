using BenchmarkDotNet.Attributes;
using CityTwin.Domain.Assets;
using CityTwin.Web.Features.Registry;

namespace CityTwin.Benchmarks;

/// <summary>
/// The registry list at 100k assets (demo city at scale 10): open (count + first page), a deep page, a sort, filters
/// and text search, each as one call of <see cref="RegistryQueryService.QueryAsync"/> (what the grid does per load).
/// Goal (issue #3): each under 300 ms server time. Baseline: the raw SQL of "open" (count + first page by name).
/// </summary>
[SimpleJob(warmupCount: 2, iterationCount: 8)]
[MemoryDiagnoser]
public class RegistryBenchmarks
{
    private BenchDatabase _db = null!;
    private RegistryQueryService _registry = null!;

    private DataQualityService _quality = null!;
    private DateOnly _asOf;

    [GlobalSetup]
    public void Setup()
    {
        _db = new BenchDatabase();
        var report = _db.Seed(10.0, 0);
        Console.WriteLine($"// seeded {report.Assets} assets in {report.Elapsed.TotalSeconds:F1} s");
        _registry = new RegistryQueryService(_db.Factory, TimeProvider.System);
        _quality = new DataQualityService(_db.Factory, TimeProvider.System);
    }

    /// <summary>The "as of" list reads past versions too: 2,000 assets are edited after the day it shows.</summary>
    [GlobalSetup(Target = nameof(AsOfList))]
    public void SetupWithHistory()
    {
        Setup();
        var store = new CityTwin.Web.Data.AssetStore(_db.Factory, TimeProvider.System);
        var ids = _registry.QueryAsync(new RegistryFilter { Type = "Streetlight" }, new RegistrySort(), 0, 2000).GetAwaiter().GetResult().Rows;
        _asOf = DateOnly.FromDateTime(DateTime.UtcNow);
        var context = new CityTwin.Web.Data.ChangeContext(CityTwin.Domain.History.ChangeActor.System("bench"), CityTwin.Web.Data.ChangeOperations.Update);
        foreach (var row in ids)
        {
            store.UpdateAsync(row.Id, row.Version, a => a.Rename(a.Name + " (renamed)"), context).GetAwaiter().GetResult();
        }

        Console.WriteLine($"// edited {ids.Count} assets (past versions for the as-of list)");
    }

    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    private int Run(RegistryFilter filter, RegistrySort sort, int skip = 0) =>
        _registry.QueryAsync(filter, sort, skip, 50).GetAwaiter().GetResult().Total;

    [Benchmark(Baseline = true, Description = "raw SQL: count + first 50 by name")]
    public int RawOpen()
    {
        using var c = _db.Open();
        using var count = c.CreateCommand();
        count.CommandText = "SELECT count(*) FROM Assets WHERE Status <> 'Decommissioned'";
        var total = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        using var page = c.CreateCommand();
        page.CommandText = "SELECT Id, Type, Name, Status, Condition, InspectedOn, InstalledOn, DistrictCode, Department, Address, Publication, ReplacementCost, ModifiedAt, Version " +
                           "FROM Assets WHERE Status <> 'Decommissioned' ORDER BY Name, Seq LIMIT 50";
        using var reader = page.ExecuteReader();
        while (reader.Read())
        {
        }

        return total;
    }

    [Benchmark(Description = "open: count + first page by name")]
    public int Open() => Run(RegistryFilter.Empty, new RegistrySort());

    [Benchmark(Description = "page 1,000 (skip 50,000)")]
    public int DeepPage() => Run(RegistryFilter.Empty, new RegistrySort(), 50_000);

    [Benchmark(Description = "sort by condition desc")]
    public int SortCondition() => Run(RegistryFilter.Empty, new RegistrySort("condition", true));

    [Benchmark(Description = "filter type + district + condition")]
    public int FilterTypeDistrict() => Run(new RegistryFilter { Type = "Streetlight", District = "OT", ConditionMax = 2 }, new RegistrySort());

    [Benchmark(Description = "filter text (FTS) 'chestnut'")]
    public int FilterText() => Run(new RegistryFilter { Text = "chestnut" }, new RegistrySort());

    [Benchmark(Description = "filter data-quality issue (stale inspection)")]
    public int FilterIssue() => Run(new RegistryFilter { Issue = QualityIssue.StaleInspection }, new RegistrySort());

    [Benchmark(Description = "sort by installation date")]
    public int SortInstalled() => Run(RegistryFilter.Empty, new RegistrySort("installedOn"));

    [Benchmark(Description = "sort by inspection date desc")]
    public int SortInspected() => Run(RegistryFilter.Empty, new RegistrySort("inspectedOn", true));

    [Benchmark(Description = "sort by replacement cost desc")]
    public int SortCost() => Run(RegistryFilter.Empty, new RegistrySort("replacementCost", true));

    [Benchmark(Description = "sort by district")]
    public int SortDistrict() => Run(RegistryFilter.Empty, new RegistrySort("district"));

    [Benchmark(Description = "filter data-quality issue (out of range), registry unchanged since the last scan")]
    public int FilterOutOfRange() => Run(new RegistryFilter { Issue = QualityIssue.OutOfRange }, new RegistrySort());

    [Benchmark(Description = "filter data-quality issue (out of range), first after a change (scan)")]
    public int FilterOutOfRangeCold()
    {
        DataQualityService.ForgetOutOfRange();
        return Run(new RegistryFilter { Issue = QualityIssue.OutOfRange }, new RegistrySort());
    }

    [Benchmark(Description = "as-of list (today, over 2,000 past versions), by name")]
    public int AsOfList() => Run(new RegistryFilter { AsOf = _asOf }, new RegistrySort());

    [Benchmark(Description = "data-quality report (all types and districts), first after a change")]
    public int QualityReport()
    {
        DataQualityService.ForgetOutOfRange();
        return _quality.ReportAsync().GetAwaiter().GetResult().Overall.Total;
    }
}
