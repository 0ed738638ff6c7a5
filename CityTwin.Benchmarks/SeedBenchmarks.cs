using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace CityTwin.Benchmarks;

/// <summary>
/// Seeding the demo city (9.8k assets with R*Tree and FTS rows + 876k observations) into a fresh file, against a
/// same-run baseline: raw prepared single-row inserts of the same number of rows into identical tables.
/// Goal (issue #2): the whole seed under 30 s on 2 cores.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, warmupCount: 0, iterationCount: 3)]
[MemoryDiagnoser]
public class SeedBenchmarks
{
    private BenchDatabase? _db;
    // Row counts of the demo city at scale 1 (deterministic).
    private const int Assets = 9840;
    private const long Observations = 876_000;

    [IterationSetup]
    public void NewDatabase() => _db = new BenchDatabase();

    [IterationCleanup]
    public void DropDatabase() => _db?.Dispose();

    [Benchmark(Baseline = true, Description = "raw prepared inserts, same row counts")]
    public long RawInsertBaseline()
    {
        using var connection = _db!.Open();
        using var tx = connection.BeginTransaction();
        using (var series = connection.CreateCommand())
        {
            series.Transaction = tx;
            for (var i = 1; i <= 50; i++)
            {
                series.CommandText = $"INSERT INTO ObservationSeries (Id, SourceId, Quantity, UnitCode) VALUES ({i}, 'urn:x:{i}', 'q', 'u')";
                series.ExecuteNonQuery();
            }
        }

        using var assets = connection.CreateCommand();
        assets.Transaction = tx;
        assets.CommandText = "INSERT INTO Assets (Id, Type, TypeIri, Name, Status, Criticality, Publication, Attributes, AttributePublication, Version, CreatedAt, ModifiedAt, MinLon, MinLat, MaxLon, MaxLat, Geometry) " +
                             "VALUES (@id, 'Tree', 'iri', @name, 'Active', 3, 'Public', '{}', '{}', 1, 0, 0, @x, @y, @x, @y, '{\"type\":\"Point\"}')";
        var id = assets.Parameters.Add("@id", Microsoft.Data.Sqlite.SqliteType.Text);
        var name = assets.Parameters.Add("@name", Microsoft.Data.Sqlite.SqliteType.Text);
        var x = assets.Parameters.Add("@x", Microsoft.Data.Sqlite.SqliteType.Real);
        var y = assets.Parameters.Add("@y", Microsoft.Data.Sqlite.SqliteType.Real);
        assets.Prepare();
        for (var i = 0; i < Assets; i++)
        {
            id.Value = "urn:ngsi-ld:Tree:" + i;
            name.Value = "Tree " + i;
            x.Value = 4.41 + (i % 100) * 0.001;
            y.Value = 50.87 + (i / 100) * 0.0005;
            assets.ExecuteNonQuery();
        }

        using var obs = connection.CreateCommand();
        obs.Transaction = tx;
        obs.CommandText = "INSERT INTO Observations (SeriesId, ObservedAt, Value) VALUES (@s, @t, @v)";
        var s = obs.Parameters.Add("@s", Microsoft.Data.Sqlite.SqliteType.Integer);
        var t = obs.Parameters.Add("@t", Microsoft.Data.Sqlite.SqliteType.Integer);
        var v = obs.Parameters.Add("@v", Microsoft.Data.Sqlite.SqliteType.Real);
        obs.Prepare();
        var perSeries = Observations / 50;
        for (var series = 1; series <= 50; series++)
        {
            for (long h = 0; h < perSeries; h++)
            {
                s.Value = series;
                t.Value = 1_700_000_000 + h * 3600;
                v.Value = h % 97;
                obs.ExecuteNonQuery();
            }
        }

        tx.Commit();
        return Assets + Observations;
    }

    [Benchmark(Description = "DemoCitySeeder, scale 1, 730 days")]
    public long SeedDemoCity()
    {
        var report = _db!.Seed(1.0, 730);
        return report.Assets + report.Observations;
    }
}
