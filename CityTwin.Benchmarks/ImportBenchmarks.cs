using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CityTwin.Domain.History;
using CityTwin.Web.Data;
using CityTwin.Web.Data.Records;
using CityTwin.Web.Data.Sqlite;
using CityTwin.Web.Features.Import;
using CityTwin.Web.Features.Interop;
using CityTwin.Web.Features.JsonLd;
using CityTwin.Web.Features.Registry;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CityTwin.Benchmarks;

/// <summary>
/// Import of an NGSI-LD normalized file (the demo city at scale 2, exported: ~20k entities with lifecycle fields,
/// attributes, relationships and geometry) into a fresh registry that has the city's districts, committed with
/// provenance and history. Baseline (performance.md G1): the same file parsed with System.Text.Json, id / type / name /
/// location extracted, and inserted with one prepared raw INSERT per entity into the same table (R*Tree and FTS5 rows
/// by the same triggers), one transaction, same run. Goals: ≥ 20,000 entities/s and ≥ 0.4 × baseline.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
[GcServer(true)]
public class ImportBenchmarks
{
    private byte[] _file = [];
    private List<DistrictRecord> _districts = [];
    private BenchDatabase? _target;
    private ServiceProvider _services = null!;
    private ContextResolver _contexts = null!;
    private NgsiLdImportReader _reader = null!;

    public int Entities { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        using (var source = new BenchDatabase())
        {
            var report = source.Seed(2.0, 0);
            using var stream = new MemoryStream();
            Entities = new ExportService(source.Factory, TimeProvider.System)
                .WriteAsync(new ExportRequest(RegistryFilter.Empty, ExportFormat.NgsiLd, PublicOnly: false, CityTwinContext.Path), stream)
                .GetAwaiter().GetResult();
            _file = stream.ToArray();
            using var db = source.Factory.CreateDbContext();
            _districts = db.Districts.AsNoTracking().ToList();
            Console.WriteLine($"// seeded {report.Assets} assets; file of {Entities} entities, {_file.Length / 1024.0 / 1024.0:F1} MiB");
        }

        _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        _contexts = new ContextResolver(_services.GetRequiredService<IHttpClientFactory>(), NullLogger<ContextResolver>.Instance,
            Microsoft.Extensions.Options.Options.Create(new JsonLdOptions()));
        _reader = new NgsiLdImportReader(_contexts, new SdmSchemas());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _target?.Dispose();
        _services.Dispose();
    }

    /// <summary>A fresh registry with the city's districts (so district codes and the extent check as in production).</summary>
    [IterationSetup]
    public void Fresh()
    {
        _target?.Dispose();
        _target = new BenchDatabase();
        using var db = _target.Factory.CreateDbContext();
        db.Districts.AddRange(_districts.Select(d => new DistrictRecord
        {
            Code = d.Code, Name = d.Name, Population = d.Population, Boundary = d.Boundary,
            MinLon = d.MinLon, MinLat = d.MinLat, MaxLon = d.MaxLon, MaxLat = d.MaxLat,
        }));
        db.SaveChanges();
    }

    [Benchmark(Baseline = true, Description = "raw: STJ parse + prepared INSERT (id, type, name, location)")]
    public int RawParseAndInsert() => Raw(setBasedIndexing: false);

    [Benchmark(Description = "raw, R*Tree and FTS5 filled set-based after the rows")]
    public int RawParseAndInsertSetBased() => Raw(setBasedIndexing: true);

    private int Raw(bool setBasedIndexing)
    {
        using var c = _target!.Open();
        using var tx = c.BeginTransaction();
        var after = setBasedIndexing ? SqliteSearchIndexes.SuspendInsertIndexingAsync(c, tx, default).GetAwaiter().GetResult() : 0;
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO Assets (Id, Type, TypeIri, Name, Status, Criticality, Publication, Attributes, AttributePublication,
                                Geometry, MinLon, MinLat, MaxLon, MaxLat, Version, CreatedAt, ModifiedAt)
            VALUES ($id, $type, $type, $name, 'InService', 3, 'Public', '{}', '{}', $geometry, $x, $y, $x, $y, 1, 0, 0)
            """;
        var id = cmd.Parameters.Add("$id", SqliteType.Text);
        var type = cmd.Parameters.Add("$type", SqliteType.Text);
        var name = cmd.Parameters.Add("$name", SqliteType.Text);
        var geometry = cmd.Parameters.Add("$geometry", SqliteType.Text);
        var x = cmd.Parameters.Add("$x", SqliteType.Real);
        var y = cmd.Parameters.Add("$y", SqliteType.Real);
        cmd.Prepare();
        using var doc = JsonDocument.Parse(_file);
        var n = 0;
        foreach (var entity in doc.RootElement.EnumerateArray())
        {
            id.Value = entity.GetProperty("id").GetString();
            type.Value = entity.GetProperty("type").GetString();
            name.Value = entity.TryGetProperty("name", out var nm) ? nm.GetProperty("value").GetString() : "";
            if (entity.TryGetProperty("location", out var location))
            {
                var value = location.GetProperty("value");
                geometry.Value = value.GetRawText();
                var first = value.GetProperty("coordinates");
                while (first[0].ValueKind == JsonValueKind.Array)
                {
                    first = first[0];
                }

                x.Value = first[0].GetDouble();
                y.Value = first[1].GetDouble();
            }
            else
            {
                geometry.Value = DBNull.Value;
                x.Value = DBNull.Value;
                y.Value = DBNull.Value;
            }

            cmd.ExecuteNonQuery();
            n++;
        }

        if (setBasedIndexing)
        {
            SqliteSearchIndexes.ResumeInsertIndexingAsync(c, tx, after, default).GetAwaiter().GetResult();
        }

        tx.Commit();
        return n;
    }

    [Benchmark(Description = "ImportService: NGSI-LD normalized, commit")]
    public int Import() => ImportReport().New;

    public ImportReport ImportReport()
    {
        var service = new ImportService(_target!.Factory, new AssetStore(_target.Factory, TimeProvider.System), _reader, _contexts,
            TimeProvider.System, NullLogger<ImportService>.Instance, Microsoft.Extensions.Options.Options.Create(new CityTwin.Web.Infrastructure.ImportOptions()));
        var report = service.RunAsync(_file, new ImportRequest
        {
            Format = ImportFormat.NgsiLd, Mode = ImportMode.Commit, FileName = "riverford.jsonld", AllOrNothing = true,
        }, new ChangeActor("benchmark", ActorKind.ApiKey)).GetAwaiter().GetResult();
        if (!report.Committed || report.New != Entities)
        {
            throw new InvalidOperationException($"Import did not commit every entity: {report.FileError} {report.New} new, {report.Rejected} rejected; " +
                string.Join(" | ", report.Issues.Take(5).Select(i => i.Reason)));
        }

        return report;
    }

    /// <summary>Rows per table of the target after an import (for the probe).</summary>
    public string Counts()
    {
        using var c = _target!.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT (SELECT COUNT(*) FROM Assets), (SELECT COUNT(*) FROM AssetChanges), (SELECT COUNT(*) FROM AssetLinks), (SELECT COUNT(*) FROM AssetBounds), (SELECT COUNT(*) FROM AssetText)";
        using var r = cmd.ExecuteReader();
        r.Read();
        return $"assets {r.GetInt64(0)}, changes {r.GetInt64(1)}, links {r.GetInt64(2)}, bounds {r.GetInt64(3)}, text {r.GetInt64(4)}";
    }
}
