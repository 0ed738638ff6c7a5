using BenchmarkDotNet.Running;

// dotnet run -c Release --project CityTwin.Benchmarks -- --filter '*'
// dotnet run -c Release --project CityTwin.Benchmarks -- probe-import   (one import, phase timings, no statistics)
// dotnet run -c Release --project CityTwin.Benchmarks -- probe-export   (exports of 100k assets vs the raw baseline)
// dotnet run -c Release --project CityTwin.Benchmarks -- probe-read     (the export scan: data reader vs SQLite statement)
if (args is ["probe-import"])
{
    var bench = new CityTwin.Benchmarks.ImportBenchmarks();
    bench.Setup();
    var runs = int.TryParse(Environment.GetEnvironmentVariable("PROBE_RUNS"), out var r) ? r : 3;
    for (var i = 0; i < runs; i++)
    {
        bench.Fresh();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var raw = bench.RawParseAndInsert();
        var rawSeconds = clock.Elapsed.TotalSeconds;
        bench.Fresh();
        var pause = GC.GetTotalPauseDuration();
        var gen2 = GC.CollectionCount(2);
        var report = bench.ImportReport();
        Console.WriteLine($"raw {raw} in {rawSeconds:F2} s; import {report.New} in {report.Seconds:F2} s {report.Timings}; " +
            $"GC pauses {(GC.GetTotalPauseDuration() - pause).TotalSeconds:F2} s, gen2 {GC.CollectionCount(2) - gen2}; {bench.Counts()}");
    }

    bench.Cleanup();
    return;
}

// dotnet run -c Release --project CityTwin.Benchmarks -- ngsi-load [seconds]   (the NGSI-LD load run: app + loopback load, docs/benchmarks.md)
if (args is ["ngsi-load", ..])
{
    CityTwin.Benchmarks.NgsiLoadRun.RunAsync(args).GetAwaiter().GetResult();
    return;
}

if (args is ["probe-ngsi"])
{
    CityTwin.Benchmarks.NgsiReadProbe.Run();
    return;
}

if (args is ["probe-read"])
{
    CityTwin.Benchmarks.ReadProbe.Run();
    return;
}

if (args is ["probe-export"])
{
    var bench = new CityTwin.Benchmarks.ExportBenchmarks();
    bench.Setup();
    for (var i = 0; i < 3; i++)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bench.RawJson();
        var raw = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var n = bench.GeoJson();
        var geo = clock.Elapsed.TotalSeconds;
        clock.Restart();
        bench.NgsiLd();
        var ld = clock.Elapsed.TotalSeconds;
        clock.Restart();
        bench.Csv();
        Console.WriteLine($"raw {raw:F2} s; {n} assets: geojson {geo:F2} s, ngsi-ld {ld:F2} s, csv {clock.Elapsed.TotalSeconds:F2} s");
    }

    bench.Cleanup();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(CityTwin.Benchmarks.SeedBenchmarks).Assembly).Run(args);
