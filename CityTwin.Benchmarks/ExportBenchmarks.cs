using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CityTwin.Web.Features.Interop;
using CityTwin.Web.Features.Registry;

namespace CityTwin.Benchmarks;

/// <summary>
/// Export of the whole registry at 100k assets (demo city at scale 10) to a null stream. Baseline (performance.md G16):
/// the same rows read with raw SQL and written with Utf8JsonWriter as id + type + geometry only, same run.
/// Goal: ≥ 100,000 entities/s in flat memory (rows are read in batches of 1,000).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
[GcServer(true)]
public class ExportBenchmarks
{
    private BenchDatabase _db = null!;
    private ExportService _export = null!;

    [GlobalSetup]
    public void Setup()
    {
        _db = new BenchDatabase();
        var report = _db.Seed(10.0, 0);
        Console.WriteLine($"// seeded {report.Assets} assets in {report.Elapsed.TotalSeconds:F1} s");
        _export = new ExportService(_db.Factory, TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    [Benchmark(Baseline = true, Description = "raw SQL + Utf8JsonWriter (id, type, geometry)")]
    public int RawJson()
    {
        using var c = _db.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT Id, Type, Geometry FROM Assets WHERE Status <> 'Decommissioned' ORDER BY Seq";
        using var reader = cmd.ExecuteReader();
        using var w = new Utf8JsonWriter(Stream.Null);
        w.WriteStartArray();
        var n = 0;
        while (reader.Read())
        {
            w.WriteStartObject();
            w.WriteString("id", reader.GetString(0));
            w.WriteString("type", reader.GetString(1));
            w.WritePropertyName("location");
            if (reader.IsDBNull(2))
            {
                w.WriteNullValue();
            }
            else
            {
                w.WriteRawValue(reader.GetString(2), skipInputValidation: true);
            }

            w.WriteEndObject();
            n++;
        }

        w.WriteEndArray();
        w.Flush();
        return n;
    }

    private int Export(ExportFormat format) =>
        _export.WriteAsync(new ExportRequest(RegistryFilter.Empty, format, PublicOnly: false, "http://localhost/ctx"), Stream.Null).GetAwaiter().GetResult();

    [Benchmark(Description = "GeoJSON, whole registry")]
    public int GeoJson() => Export(ExportFormat.GeoJson);

    [Benchmark(Description = "NGSI-LD normalized, whole registry")]
    public int NgsiLd() => Export(ExportFormat.NgsiLd);

    [Benchmark(Description = "CSV, whole registry")]
    public int Csv() => Export(ExportFormat.Csv);
}
