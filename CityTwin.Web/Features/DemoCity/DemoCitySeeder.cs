using System.Diagnostics;
using CityTwin.Web.Data;
using CityTwin.Web.Data.Records;
using CityTwin.Web.Data.Sqlite;
using CityTwin.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CityTwin.Web.Features.DemoCity;

public sealed record SeedReport(int Districts, int Assets, int Links, int Series, long Observations, int Kpis, int Budgets, TimeSpan Elapsed);

/// <summary>
/// Writes the demo city into an empty registry in one transaction with prepared, set-based inserts (no change
/// tracking), logging progress. Assets go through <see cref="AssetMapper"/> like every other write path.
/// </summary>
public sealed class DemoCitySeeder(
    IDbContextFactory<CityTwinDbContext> dbFactory, IOptions<SeedOptions> options, TimeProvider time, ILogger<DemoCitySeeder> logger)
{
    private const int ObservationsPerStatement = 200;

    public async Task<SeedReport?> SeedIfEmptyAsync(CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.Assets.AnyAsync(ct) || await db.Districts.AnyAsync(ct))
            {
                logger.LogInformation("Registry is not empty: demo city not seeded");
                return null;
            }
        }

        var o = options.Value;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return await SeedAsync(new DemoCityGenerator(o.RandomSeed, today, o.Scale), o.ObservationDays, ct);
    }

    public async Task<SeedReport> SeedAsync(DemoCityGenerator city, int observationDays, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(city);
        var stopwatch = Stopwatch.StartNew();
        logger.LogInformation("Seeding the demo city {City}…", DemoCityGenerator.CityName);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await db.Database.UseTransactionAsync(transaction, ct);

        using (var districts = new SqliteBulkInserter<DistrictRecord>(db, connection, transaction))
        {
            foreach (var d in city.Districts)
            {
                districts.Insert(new DistrictRecord
                {
                    Code = d.Code, Name = d.Name, Population = d.Population, Boundary = GeoJson.Write(d.Boundary),
                    MinLon = d.Boundary.Bounds.West, MinLat = d.Boundary.Bounds.South, MaxLon = d.Boundary.Bounds.East, MaxLat = d.Boundary.Bounds.North,
                });
            }
        }

        int assetCount = 0, linkCount = 0;
        using (var assets = new SqliteBulkInserter<AssetRecord>(db, connection, transaction))
        using (var links = new SqliteBulkInserter<AssetLinkRecord>(db, connection, transaction))
        {
            foreach (var asset in city.Assets())
            {
                var record = AssetMapper.ToRecord(asset);
                assets.Insert(record);
                foreach (var link in record.Links)
                {
                    links.Insert(link);
                    linkCount++;
                }

                if (++assetCount % 2500 == 0)
                {
                    logger.LogInformation("Seeded {Count} assets ({Elapsed} ms)", assetCount, stopwatch.ElapsedMilliseconds);
                }
            }
        }

        logger.LogInformation("Seeded {Count} assets and {Links} relationships ({Elapsed} ms)", assetCount, linkCount, stopwatch.ElapsedMilliseconds);

        var series = city.Series();
        var observationCount = await InsertObservationsAsync(connection, transaction, city, series, observationDays, stopwatch, ct);

        var kpis = city.Kpis();
        db.KpiDefinitions.AddRange(kpis.Select(k => new KpiDefinitionRecord
        {
            Code = k.Code, Name = k.Name, Description = k.Description, Unit = k.Unit, Target = k.Target,
            Direction = k.Direction.ToString(), Period = k.Period.ToString(), IsPublic = k.IsPublic,
            ByDistrict = k.ByDistrict, ByAssetType = k.ByAssetType, Tolerance = k.Tolerance,
        }));
        var budgets = city.Budgets();
        db.RenewalBudgets.AddRange(budgets.Select(b => new RenewalBudgetRecord { Year = b.Year, AssetType = b.AssetTypeName, Amount = (double)b.Amount }));
        await db.SaveChangesAsync(ct);

        await transaction.CommitAsync(ct);
        // Planner statistics for the new data, and a checkpoint so readers find the pages in the database file, not the WAL.
        await connection.ExecuteAsync("PRAGMA analysis_limit = 1000; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);", ct);
        var report = new SeedReport(city.Districts.Count, assetCount, linkCount, series.Count, observationCount, kpis.Count, budgets.Count, stopwatch.Elapsed);
        logger.LogInformation(
            "Demo city seeded in {Elapsed} ms: {Districts} districts, {Assets} assets, {Links} relationships, {Series} sensors, {Observations} observations, {Kpis} KPIs, {Budgets} budget lines",
            (long)report.Elapsed.TotalMilliseconds, report.Districts, report.Assets, report.Links, report.Series, report.Observations, report.Kpis, report.Budgets);
        return report;
    }

    private async Task<long> InsertObservationsAsync(SqliteConnection connection, SqliteTransaction transaction, DemoCityGenerator city,
        IReadOnlyList<DemoSeries> series, int days, Stopwatch stopwatch, CancellationToken ct)
    {
        await using (var insertSeries = connection.CreateCommand())
        {
            insertSeries.Transaction = transaction;
            insertSeries.CommandText = "INSERT INTO ObservationSeries (Id, SourceId, Quantity, UnitCode) VALUES (@id, @source, @quantity, @unit)";
            var id = insertSeries.Parameters.Add("@id", SqliteType.Integer);
            var source = insertSeries.Parameters.Add("@source", SqliteType.Text);
            var quantity = insertSeries.Parameters.Add("@quantity", SqliteType.Text);
            var unit = insertSeries.Parameters.Add("@unit", SqliteType.Text);
            foreach (var s in series)
            {
                id.Value = s.Index + 1;
                source.Value = s.DeviceId.Value;
                quantity.Value = s.Quantity.Iri;
                unit.Value = s.Quantity.UnitCode;
                await insertSeries.ExecuteNonQueryAsync(ct);
            }
        }

        // Multi-row VALUES statements: one prepared statement of N rows, reused; the remainder row by row.
        using var batch = BuildObservationInsert(connection, transaction, ObservationsPerStatement);
        using var single = BuildObservationInsert(connection, transaction, 1);
        var hours = days * 24;
        var start = city.ObservationsEnd.AddHours(-hours);
        long total = 0;
        foreach (var s in series)
        {
            var noise = new Random(s.Index * 7919 + 17);
            var filled = 0;
            for (var h = 0; h < hours; h++)
            {
                var at = start.AddHours(h);
                if (filled == 0 && hours - h < ObservationsPerStatement)
                {
                    Bind(single, 0, s.Index + 1, at, DemoCityGenerator.ValueAt(s, at, noise));
                    single.ExecuteNonQuery();
                    continue;
                }

                Bind(batch, filled, s.Index + 1, at, DemoCityGenerator.ValueAt(s, at, noise));
                if (++filled == ObservationsPerStatement)
                {
                    batch.ExecuteNonQuery();
                    filled = 0;
                }
            }

            total += hours;
            if ((s.Index + 1) % 10 == 0)
            {
                logger.LogInformation("Seeded observations of {Sensors} sensors, {Count} rows ({Elapsed} ms)", s.Index + 1, total, stopwatch.ElapsedMilliseconds);
            }
        }

        return total;
    }

    private static SqliteCommand BuildObservationInsert(SqliteConnection connection, SqliteTransaction transaction, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO Observations (SeriesId, ObservedAt, Value) VALUES " +
            string.Join(", ", Enumerable.Range(0, rows).Select(i => $"(@s{i}, @t{i}, @v{i})"));
        for (var i = 0; i < rows; i++)
        {
            command.Parameters.Add($"@s{i}", SqliteType.Integer);
            command.Parameters.Add($"@t{i}", SqliteType.Integer);
            command.Parameters.Add($"@v{i}", SqliteType.Real);
        }

        command.Prepare();
        return command;
    }

    private static void Bind(SqliteCommand command, int row, int seriesId, DateTimeOffset at, double value)
    {
        command.Parameters[row * 3].Value = seriesId;
        command.Parameters[(row * 3) + 1].Value = at.ToUnixTimeSeconds();
        command.Parameters[(row * 3) + 2].Value = value;
    }
}
