using CityTwin.Web.Data;
using CityTwin.Web.Data.Sqlite;
using CityTwin.Web.Features.DemoCity;
using CityTwin.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CityTwin.Benchmarks;

/// <summary>A migrated SQLite file in the temp folder, as the app configures it (WAL, synchronous=NORMAL).</summary>
public sealed class BenchDatabase : IDisposable
{
    private readonly ServiceProvider _services;

    public BenchDatabase()
    {
        FilePath = Path.Combine(Path.GetTempPath(), $"citytwin-bench-{Guid.NewGuid():N}.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = true }.ToString();
        _services = new ServiceCollection()
            .AddDbContextFactory<CityTwinDbContext>(o => o.UseSqlite(ConnectionString).AddInterceptors(new SqlitePragmas()))
            .BuildServiceProvider();
        Factory = _services.GetRequiredService<IDbContextFactory<CityTwinDbContext>>();
        using var db = Factory.CreateDbContext();
        db.Database.OpenConnection();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode = WAL;");
        db.Database.Migrate();
    }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public IDbContextFactory<CityTwinDbContext> Factory { get; }

    public static readonly DateOnly Day = new(2026, 11, 27);

    public SeedReport Seed(double scale, int observationDays) =>
        new DemoCitySeeder(Factory, Options.Create(new SeedOptions()), TimeProvider.System, NullLogger<DemoCitySeeder>.Instance)
            .SeedAsync(new DemoCityGenerator(20261127, Day, scale), observationDays).GetAwaiter().GetResult();

    public SqliteConnection Open()
    {
        var c = new SqliteConnection(ConnectionString);
        c.Open();
        using var pragmas = c.CreateCommand();
        pragmas.CommandText = SqlitePragmas.Statements;
        pragmas.ExecuteNonQuery();
        return c;
    }

    public void Dispose()
    {
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(FilePath + suffix);
        }
    }
}
