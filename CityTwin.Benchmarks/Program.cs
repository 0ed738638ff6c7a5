using BenchmarkDotNet.Running;

// dotnet run -c Release --project CityTwin.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(CityTwin.Benchmarks.SeedBenchmarks).Assembly).Run(args);
