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

    [GlobalSetup]
    public void Setup()
    {
        _db = new BenchDatabase();
        var report = _db.Seed(10.0, 0);
        Console.WriteLine($"// seeded {report.Assets} assets in {report.Elapsed.TotalSeconds:F1} s");
        _registry = new RegistryQueryService(_db.Factory, TimeProvider.System);
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
}
