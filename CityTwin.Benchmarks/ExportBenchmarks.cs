using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CityTwin.Web.Features.Interop;
using CityTwin.Web.Features.Registry;

namespace CityTwin.Benchmarks;

/// <summary>
/// Export of the whole registry at 100k assets (demo city at scale 10) to a null stream. Baseline (performance.md G16):
/// the same rows read with raw SQL and written with Utf8JsonWriter in the same feature shape, same run (plus the thin
/// id + type + geometry writer of performance.md §7 for reference).
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

    /// <summary>
    /// G16's "same shape" baseline: the GeoJSON feature shape (every lifecycle field, the stored attributes copied as
    /// raw JSON, no relationships, no visibility rules) written from Microsoft.Data.Sqlite's data reader, one thread.
    /// </summary>
    [Benchmark(Baseline = true, Description = "raw SQL + Utf8JsonWriter, same feature shape")]
    public int RawSameShape()
    {
        using var c = _db.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT Id, Type, Name, Description, Address, Status, Condition, InspectedOn, InstalledOn, ExpectedLifeYears,
                   ReplacementCost, Criticality, Department, DistrictCode, Publication, Geometry, Attributes
            FROM Assets WHERE Status <> 'Decommissioned' ORDER BY Seq
            """;
        using var reader = cmd.ExecuteReader();
        using var w = new Utf8JsonWriter(Stream.Null);
        string[] names = ["name", "description", "address", "lifecycleStatus"];
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteStartArray("features");
        var n = 0;
        while (reader.Read())
        {
            w.WriteStartObject();
            w.WriteString("type", "Feature");
            w.WriteString("id", reader.GetString(0));
            w.WritePropertyName("geometry");
            if (reader.IsDBNull(15))
            {
                w.WriteNullValue();
            }
            else
            {
                w.WriteRawValue(reader.GetString(15), skipInputValidation: true);
            }

            w.WriteStartObject("properties");
            w.WriteString("type", reader.GetString(1));
            for (var i = 0; i < names.Length; i++)
            {
                if (!reader.IsDBNull(2 + i))
                {
                    w.WriteString(names[i], reader.GetString(2 + i));
                }
            }

            if (!reader.IsDBNull(6))
            {
                w.WriteNumber("condition", reader.GetInt32(6));
            }

            if (!reader.IsDBNull(7))
            {
                w.WriteString("inspectedOn", reader.GetString(7));
            }

            if (!reader.IsDBNull(8))
            {
                w.WriteString("installedOn", reader.GetString(8));
            }

            if (!reader.IsDBNull(9))
            {
                w.WriteNumber("expectedServiceLife", reader.GetInt32(9));
            }

            if (!reader.IsDBNull(10))
            {
                w.WriteNumber("replacementCost", reader.GetDouble(10));
            }

            w.WriteNumber("criticality", reader.GetInt32(11));
            if (!reader.IsDBNull(12))
            {
                w.WriteString("ownerDepartment", reader.GetString(12));
            }

            if (!reader.IsDBNull(13))
            {
                w.WriteString("district", reader.GetString(13));
            }

            w.WriteString("publicationClass", reader.GetString(14));
            w.WritePropertyName("attributes");
            w.WriteRawValue(reader.GetString(16), skipInputValidation: true);
            w.WriteEndObject();
            w.WriteEndObject();
            n++;
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        return n;
    }

    [Benchmark(Description = "raw SQL + Utf8JsonWriter (id, type, geometry)")]
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
