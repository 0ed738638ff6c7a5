using BenchmarkDotNet.Attributes;
using CityTwin.Domain.Geography;
using CityTwin.Web.Features.Assets;

namespace CityTwin.Benchmarks;

/// <summary>
/// Bounding-box and text search on 100k assets (demo city at scale 10): the product path (AssetQueryService over the
/// R*Tree / FTS5) against same-run baselines that scan the table (no spatial or text index).
/// </summary>
[SimpleJob(warmupCount: 2, iterationCount: 10)]
[MemoryDiagnoser]
public class SearchBenchmarks
{
    private BenchDatabase _db = null!;
    private AssetQueryService _queries = null!;
    private static readonly GeoBounds Box = new(4.465, 50.895, 4.475, 50.902); // ~0.7 km × 0.8 km in the centre

    [Params(10.0)]
    public double Scale { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _db = new BenchDatabase();
        var report = _db.Seed(Scale, 0);
        Console.WriteLine($"// seeded {report.Assets} assets in {report.Elapsed.TotalSeconds:F1} s");
        _queries = new AssetQueryService(_db.Factory);
    }

    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    [Benchmark(Baseline = true, Description = "bbox: full scan on bbox columns")]
    [BenchmarkCategory("bbox")]
    public int BboxFullScan()
    {
        using var c = _db.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM (SELECT Id, Name, Geometry FROM Assets WHERE Status <> 'Decommissioned' AND Publication = 'Public' " +
                          "AND MaxLon >= $w AND MinLon <= $e AND MaxLat >= $s AND MinLat <= $n LIMIT 1000)";
        cmd.Parameters.AddWithValue("$w", Box.West);
        cmd.Parameters.AddWithValue("$e", Box.East);
        cmd.Parameters.AddWithValue("$s", Box.South);
        cmd.Parameters.AddWithValue("$n", Box.North);
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Benchmark(Description = "bbox: AssetQueryService (R*Tree)")]
    [BenchmarkCategory("bbox")]
    public int BboxRTree() => _queries.SearchAsync(new AssetSearch(Box)).GetAwaiter().GetResult().Count;

    [Benchmark(Description = "text: LIKE scan")]
    public int TextLikeScan()
    {
        using var c = _db.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM (SELECT Id FROM Assets WHERE Status <> 'Decommissioned' AND Publication = 'Public' " +
                          "AND (Name LIKE '%chestnut%' OR Address LIKE '%chestnut%' OR SearchText LIKE '%chestnut%') LIMIT 1000)";
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Benchmark(Description = "text: AssetQueryService (FTS5)")]
    public int TextFts() => _queries.SearchAsync(new AssetSearch(Text: "chestnut")).GetAwaiter().GetResult().Count;
}
