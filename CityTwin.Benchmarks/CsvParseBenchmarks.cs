using BenchmarkDotNet.Attributes;
using CityTwin.Web.Features.Import;
using CityTwin.Web.Features.Interop;
using CityTwin.Web.Features.Registry;
using nietras.SeparatedValues;

namespace CityTwin.Benchmarks;

/// <summary>
/// The CSV parse stage of an import (performance.md G17): the demo city at scale 2 exported as CSV (~20k rows,
/// quoted JSON attribute cells, UTF-8 with BOM) read by <see cref="TabularFile"/> — encoding and delimiter detection,
/// unquoting into a shared cell arena (strings are made when a cell is read). Baseline: a Sep row scan of the same bytes touching every cell, same run.
/// Goals: ≥ 200 MB/s and ≥ 0.3 × the scan.
/// </summary>
[MemoryDiagnoser]
public class CsvParseBenchmarks
{
    private byte[] _file = [];

    [GlobalSetup]
    public void Setup()
    {
        using var source = new BenchDatabase();
        source.Seed(2.0, 0);
        using var stream = new MemoryStream();
        var rows = new ExportService(source.Factory, TimeProvider.System)
            .WriteAsync(new ExportRequest(RegistryFilter.Empty, ExportFormat.Csv, PublicOnly: false, CityTwinContext.Path, Bom: true), stream)
            .GetAwaiter().GetResult();
        _file = stream.ToArray();
        Console.WriteLine($"// CSV of {rows} rows, {_file.Length / 1e6:F2} MB");
    }

    [Benchmark(Baseline = true, Description = "Sep row scan, every cell touched")]
    public long SepScan()
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).From(_file);
        long length = 0;
        foreach (var row in reader)
        {
            for (var i = 0; i < row.ColCount; i++)
            {
                length += row[i].Span.Length;
            }
        }

        return length;
    }

    [Benchmark(Description = "TabularFile.Read (detect encoding and delimiter, unquote into a cell arena)")]
    public int Read() => TabularFile.Read(ImportFormat.Csv, _file).Rows.Count;
}
