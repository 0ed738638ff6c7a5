using CityTwin.Web.Data;
using CityTwin.Web.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Tests.Support;

/// <summary>A real SQLite database file in the temp folder, migrated with the app's own migrations; deleted on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestDatabase(string path)
    {
        FilePath = path;
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        _services = new ServiceCollection()
            .AddDbContextFactory<CityTwinDbContext>(o => o.UseSqlite(ConnectionString).AddInterceptors(new SqlitePragmas()))
            .BuildServiceProvider();
        Factory = _services.GetRequiredService<IDbContextFactory<CityTwinDbContext>>();
    }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public IDbContextFactory<CityTwinDbContext> Factory { get; }

    public static string NewPath() => Path.Combine(Path.GetTempPath(), $"citytwin-test-{Guid.NewGuid():N}.db");

    public static async Task<TestDatabase> CreateAsync()
    {
        var db = new TestDatabase(NewPath());
        await using var context = await db.Factory.CreateDbContextAsync();
        await context.Database.MigrateAsync();
        return db;
    }

    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        DeleteFiles(FilePath);
    }

    public static void DeleteFiles(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try
            {
                File.Delete(path + suffix);
            }
            catch (IOException)
            {
                // best effort: the OS temp cleaner gets the rest
            }
        }
    }
}
