using CityTwin.Domain.Assets;
using CityTwin.Domain.Geography;
using CityTwin.Tests.Support;
using CityTwin.Web.Data;
using CityTwin.Web.Data.Sqlite;
using CityTwin.Web.Features.Assets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Tests.Data;

/// <summary>The R*Tree and FTS5 indexes on a real SQLite file: used by the queries, and kept in step by every write.</summary>
public sealed class SearchIndexTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        // A 20 × 20 grid of points, 0.01° apart, around Riverford, plus a polygon.
        await using var context = await _db.Factory.CreateDbContextAsync();
        for (var i = 0; i < 20; i++)
        {
            for (var j = 0; j < 20; j++)
            {
                var asset = Asset.Create(AssetId.For("WasteContainer", $"g-{i}-{j}"), AssetTypeCatalog.WasteContainer,
                    $"Container {i}-{j} on {(i % 2 == 0 ? "Mill Lane" : "Kingsway")}", Now);
                asset.Locate(AssetGeometry.Point(4.40 + i * 0.01, 50.80 + j * 0.01));
                context.Assets.Add(AssetMapper.ToRecord(asset));
            }
        }

        var park = Asset.Create(AssetId.For("Garden", "park"), AssetTypeCatalog.Garden, "Heron Park", Now);
        park.Locate(AssetGeometry.Polygon([[new(4.60, 50.60), new(4.70, 50.60), new(4.70, 50.70), new(4.60, 50.60)]]));
        context.Assets.Add(AssetMapper.ToRecord(park));
        await context.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private AssetQueryService Queries => new(_db.Factory);

    [Fact]
    public async Task BoundingBoxQuery_ReturnsExactlyTheAssetsInside()
    {
        var bounds = new GeoBounds(4.425, 50.825, 4.455, 50.845);

        var hits = await Queries.SearchAsync(new AssetSearch(bounds, PublicOnly: false));

        // i = 3,4,5 and j = 3,4 → 6 points
        Assert.Equal(6, hits.Count);
        Assert.All(hits, h => Assert.StartsWith("urn:ngsi-ld:WasteContainer:g-", h.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BoundingBoxQuery_FindsAPolygonThatOverlapsTheBox()
    {
        var hits = await Queries.SearchAsync(new AssetSearch(new GeoBounds(4.65, 50.65, 4.66, 50.66), PublicOnly: false));
        Assert.Equal("urn:ngsi-ld:Garden:park", Assert.Single(hits).Id);
    }

    [Fact]
    public async Task BoundingBoxQuery_UsesTheRTreeIndex_EvenWithPlannerStatistics()
    {
        using var connection = _db.OpenConnection();
        await ExecuteAsync(connection, "ANALYZE");
        await using var context = await _db.Factory.CreateDbContextAsync();
        var sql = AssetQueryService.Filter(context, new AssetSearch(new GeoBounds(4.4, 50.8, 4.5, 50.9))).Select(a => a.Id).ToQueryString();

        var plan = await PlanOfEfQueryAsync(connection, sql);

        // The R*Tree answers the four box constraints (idxNum 2) as the outer loop; each hit is looked up by key.
        Assert.StartsWith("SCAN b VIRTUAL TABLE INDEX 2:", plan, StringComparison.Ordinal);
        Assert.Contains("SEARCH a USING INTEGER PRIMARY KEY", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN a", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextQuery_UsesTheFullTextIndexAndFindsByPrefix()
    {
        var hits = await Queries.SearchAsync(new AssetSearch(Text: "kingsw", PublicOnly: false, Limit: 5000));
        Assert.Equal(200, hits.Count);

        using var connection = _db.OpenConnection();
        var plan = await PlanAsync(connection, SqliteSearchIndexes.AssetsMatchingText.Replace("{0}", "'\"kingsw\"*'"));
        Assert.Contains("AssetText VIRTUAL TABLE INDEX", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextAndBoxTogether_IntersectBothIndexes()
    {
        var hits = await Queries.SearchAsync(new AssetSearch(new GeoBounds(4.395, 50.795, 4.415, 50.815), "mill", PublicOnly: false));
        // i = 0 (Mill Lane) and 1 (Kingsway), j = 0,1 → only the two Mill Lane points.
        Assert.Equal(2, hits.Count);
        Assert.All(hits, h => Assert.Contains("Mill Lane", h.Name, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"; DROP TABLE Assets; --")]
    [InlineData("NEAR(mill kingsway) OR *")]
    [InlineData("<script>alert(1)</script>")]
    public async Task TextQuery_WithHostileInput_NeverFailsAndTreatsItAsWords(string text)
    {
        var hits = await Queries.SearchAsync(new AssetSearch(Text: text, PublicOnly: false));
        Assert.Empty(hits);
        Assert.Equal(401, await Queries.CountAsync(new AssetSearch(PublicOnly: false)));
    }

    [Fact]
    public async Task TextQuery_OfPunctuationOnly_IsNoTextFilter()
    {
        Assert.Null(SqliteSearchIndexes.ToMatchQuery("' \" * -"));
        Assert.Equal(401, await Queries.CountAsync(new AssetSearch(Text: "' \" * -", PublicOnly: false)));
    }

    [Fact]
    public async Task MovingAnAsset_UpdatesTheRTree_AndRenaming_UpdatesTheTextIndex()
    {
        await using (var context = await _db.Factory.CreateDbContextAsync())
        {
            var record = await context.Assets.Include(a => a.Links).SingleAsync(a => a.Id == "urn:ngsi-ld:WasteContainer:g-0-0");
            var asset = AssetMapper.ToDomain(record);
            asset.Locate(AssetGeometry.Point(5.0, 51.0));
            asset.Rename("Container at the quay");
            AssetMapper.CopyTo(asset, record);
            await context.SaveChangesAsync();
        }

        Assert.Empty((await Queries.SearchAsync(new AssetSearch(new GeoBounds(4.399, 50.799, 4.401, 50.801), PublicOnly: false))));
        Assert.Single(await Queries.SearchAsync(new AssetSearch(new GeoBounds(4.99, 50.99, 5.01, 51.01), PublicOnly: false)));
        Assert.Single(await Queries.SearchAsync(new AssetSearch(Text: "quay", PublicOnly: false)));
        Assert.Equal(199, (await Queries.SearchAsync(new AssetSearch(Text: "mill", PublicOnly: false))).Count);
    }

    [Fact]
    public async Task DeletingAnAsset_RemovesItFromBothIndexes()
    {
        await using (var context = await _db.Factory.CreateDbContextAsync())
        {
            await context.Assets.Where(a => a.Id == "urn:ngsi-ld:WasteContainer:g-1-1").ExecuteDeleteAsync();
        }

        using var connection = _db.OpenConnection();
        Assert.Equal(400L, await ScalarAsync(connection, "SELECT count(*) FROM AssetBounds"));
        Assert.Equal(199L, await ScalarAsync(connection, "SELECT count(*) FROM AssetText WHERE AssetText MATCH '\"kingsway\"'"));
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM AssetBounds b WHERE NOT EXISTS (SELECT 1 FROM Assets a WHERE a.Seq = b.Seq)"));
    }

    [Fact]
    public async Task DecommissionedAndInternalAssets_AreHiddenFromPublicSearches()
    {
        await using (var context = await _db.Factory.CreateDbContextAsync())
        {
            await context.Assets.Where(a => a.Id == "urn:ngsi-ld:WasteContainer:g-2-2").ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, "Decommissioned"));
            await context.Assets.Where(a => a.Id == "urn:ngsi-ld:WasteContainer:g-2-3").ExecuteUpdateAsync(s => s.SetProperty(a => a.Publication, "Internal"));
        }

        Assert.Equal(399, await Queries.CountAsync(new AssetSearch(PublicOnly: true)));
        Assert.Equal(400, await Queries.CountAsync(new AssetSearch(PublicOnly: false)));
    }

    private static async Task<string> PlanAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join("\n", lines);
    }

    /// <summary>EXPLAIN QUERY PLAN of an EF ToQueryString() output (".param set" lines, then the SQL).</summary>
    private static async Task<string> PlanOfEfQueryAsync(SqliteConnection connection, string efSql)
    {
        var lines = efSql.Split('\n');
        await using var command = connection.CreateCommand();
        foreach (var line in lines.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ', 4);
            command.Parameters.AddWithValue(parts[2], double.TryParse(parts[3], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : parts[3]);
        }

        command.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', lines.Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
        await using var reader = await command.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        return string.Join("\n", plan);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
