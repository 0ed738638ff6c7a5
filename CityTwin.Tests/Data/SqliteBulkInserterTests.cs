using CityTwin.Tests.Support;
using CityTwin.Web.Data.Records;
using CityTwin.Web.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CityTwin.Tests.Data;

/// <summary>The bulk inserter binds on the statement itself: it must store every column exactly as EF Core stores it.</summary>
public sealed class SqliteBulkInserterTests
{
    private static AssetRecord Record(string id) => new()
    {
        Id = id, Type = "Streetlight", TypeIri = "https://smartdatamodels.org/dataModel.Streetlighting/Streetlight",
        Name = "Lamp «Ünïcødé» ☕ '; DROP TABLE Assets; --", Description = new string('x', 3000) + "é", Status = "InService",
        DecommissionedOn = null, Condition = 3, InspectedOn = new DateOnly(2024, 2, 29), InstalledOn = new DateOnly(1999, 12, 31),
        ExpectedLifeYears = 25, ReplacementCost = 1234.5, Criticality = 2, Department = null, DistrictCode = "WB",
        Address = "<script>alert(1)</script>", Geometry = """{"type":"Point","coordinates":[4.1,50.2]}""",
        MinLon = 4.1, MinLat = 50.2, MaxLon = 4.1, MaxLat = 50.2, Publication = "Public", Attributes = """{"a":{"type":"Property","value":1}}""",
        AttributePublication = "{}", SearchText = "lamp", SourceSystem = "test", SourceReference = "row 1",
        RecordedAt = new DateTimeOffset(2026, 11, 28, 1, 2, 3, 456, TimeSpan.Zero), RecordedBy = "tester", Version = 1,
        CreatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), ModifiedAt = new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task StoresEveryColumn_ExactlyAsEfCoreDoes()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var context = await db.Factory.CreateDbContextAsync())
        {
            context.Assets.Add(Record("urn:ngsi-ld:Streetlight:ef"));
            await context.SaveChangesAsync();
        }

        await using (var context = await db.Factory.CreateDbContextAsync())
        {
            await context.Database.OpenConnectionAsync();
            await using var transaction = await context.Database.BeginTransactionAsync();
            using (var inserter = new SqliteBulkInserter<AssetRecord>(context, (SqliteConnection)context.Database.GetDbConnection(),
                (SqliteTransaction)transaction.GetDbTransaction()))
            {
                inserter.Insert(Record("urn:ngsi-ld:Streetlight:bulk"));
            }

            await transaction.CommitAsync();
        }

        await using var connection = db.OpenConnection();
        var columns = new List<string>();
        using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('Assets') WHERE name NOT IN ('Seq', 'Id')";
            using var reader = info.ExecuteReader();
            while (reader.Read())
            {
                columns.Add(reader.GetString(0));
            }
        }

        Assert.True(columns.Count > 25);
        using var compare = connection.CreateCommand();
        compare.CommandText = $"SELECT Id, {string.Join(", ", columns.Select(c => $"typeof(\"{c}\") || ':' || quote(\"{c}\")"))} FROM Assets ORDER BY Id";
        using var rows = compare.ExecuteReader();
        Assert.True(rows.Read());
        var bulk = Enumerable.Range(1, columns.Count).Select(rows.GetString).ToList();
        Assert.True(rows.Read());
        var ef = Enumerable.Range(1, columns.Count).Select(rows.GetString).ToList();
        Assert.Equal(ef, bulk);
        Assert.Contains(bulk, v => v.StartsWith("text:'2024-02-29'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AConstraintViolation_IsASqliteException_AndTheStatementStaysUsable()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var context = await db.Factory.CreateDbContextAsync();
        await context.Database.OpenConnectionAsync();
        await using var transaction = await context.Database.BeginTransactionAsync();
        using var inserter = new SqliteBulkInserter<AssetRecord>(context, (SqliteConnection)context.Database.GetDbConnection(),
            (SqliteTransaction)transaction.GetDbTransaction());
        inserter.Insert(Record("urn:ngsi-ld:Streetlight:one"));
        var error = Assert.Throws<SqliteException>(() => inserter.Insert(Record("urn:ngsi-ld:Streetlight:one")));
        Assert.Equal(19, error.SqliteErrorCode);
        Assert.Contains("UNIQUE", error.Message, StringComparison.Ordinal);
        inserter.Insert(Record("urn:ngsi-ld:Streetlight:two"));
        Assert.Equal(2, await context.Assets.CountAsync());
    }
}
