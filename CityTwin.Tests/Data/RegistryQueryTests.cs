using CityTwin.Domain.Assets;
using CityTwin.Domain.Geography;
using CityTwin.Domain.History;
using CityTwin.Tests.Support;
using CityTwin.Web.Data;
using CityTwin.Web.Data.Records;
using CityTwin.Web.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using CityTwin.Web.Features.Registry;
using Microsoft.Extensions.Time.Testing;

namespace CityTwin.Tests.Data;

/// <summary>Registry list filters, sorting and paging, the data-quality counts and their drill-down, on a real database.</summary>
public sealed class RegistryQueryTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 27);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private TestDatabase _db = null!;
    private RegistryQueryService _registry = null!;
    private DataQualityService _quality = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _registry = new RegistryQueryService(_db.Factory, _time);
        _quality = new DataQualityService(_db.Factory, _time);
        var store = new AssetStore(_db.Factory, _time);
        var created = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var context = new ChangeContext(ChangeActor.System("test"), "Create");
        for (var i = 0; i < 30; i++)
        {
            var tree = Asset.Create(AssetId.For("Tree", $"q{i:D2}"), AssetTypeCatalog.Tree, $"Tree {i:D2}", created);
            // i % 3 == 0: complete and young; 1: installed 1900 (past its 80-year life), stale inspection; 2: no install date, no location, no district
            if (i % 3 != 2)
            {
                tree.SetLifecycle(i % 3 == 0 ? new DateOnly(2015, 1, 1) : new DateOnly(1900, 1, 1), 80, 1000m, 2, Today);
                tree.Locate(AssetGeometry.Point(4.4 + i * 0.001, 50.9));
                tree.AssignTo("Parks", i < 15 ? "NP" : "OT");
            }
            else
            {
                tree.SetLifecycle(null, 80, null, 2, Today);
            }

            tree.RecordInspection(1 + (i % 5), i % 3 == 1 ? new DateOnly(2010, 5, 1) : new DateOnly(2026, 5, 1), Today);
            await store.CreateAsync(tree, context);
        }

        var lamp = Asset.Create(AssetId.For("Streetlight", "q-lamp"), AssetTypeCatalog.Streetlight, "Lamp", created);
        lamp.Decommission(Today);
        await store.CreateAsync(lamp, context);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task List_HidesDecommissionedByDefault_AndPagesOnTheServer()
    {
        var page = await _registry.QueryAsync(RegistryFilter.Empty, new RegistrySort(), 10, 10);
        Assert.Equal(30, page.Total);
        Assert.Equal(["Tree 10", "Tree 11", "Tree 12"], page.Rows.Take(3).Select(r => r.Name));
        Assert.Equal(31, (await _registry.QueryAsync(RegistryFilter.Empty with { IncludeDecommissioned = true }, new RegistrySort(), 0, 50)).Total);
    }

    [Fact]
    public async Task List_FiltersCombine_AndSortDescendingByCondition()
    {
        var filter = new RegistryFilter { District = "NP", ConditionMin = 3 };
        var result = await _registry.QueryAsync(filter, new RegistrySort("condition", Descending: true), 0, 50);
        Assert.All(result.Rows, r => Assert.True(r.District == "NP" && r.Condition >= 3));
        Assert.Equal(result.Rows.Select(r => r.Condition).OrderByDescending(c => c), result.Rows.Select(r => r.Condition));
        Assert.True(result.Total > 0);
    }

    [Fact]
    public async Task Filter_RoundTripsThroughTheUrl()
    {
        var filter = new RegistryFilter { Type = "Tree", District = "NP", ConditionMin = 2, InstalledTo = 1990, Text = "oak & ash", Issue = QualityIssue.StaleInspection, IncludeDecommissioned = true, AsOf = new DateOnly(2026, 1, 31) };
        var url = new Uri("http://x" + filter.ToUrl());
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(filter, RegistryFilter.FromQuery(k => query.TryGetValue(k, out var v) ? v.ToString() : null));
    }

    [Theory]
    [InlineData("cmin", "9")]
    [InlineData("yfrom", "abc")]
    [InlineData("asof", "31/01/2026")]
    [InlineData("issue", "Everything")]
    public void Filter_FromQuery_IgnoresValuesThatDoNotParse(string key, string value) =>
        Assert.Equal(RegistryFilter.Empty, RegistryFilter.FromQuery(k => k == key ? value : null));

    [Fact]
    public async Task Quality_CountsEachIssue_AndEveryCountDrillsDownToTheSameRecords()
    {
        var report = await _quality.ReportAsync();
        var trees = report.ByType.Single(c => c.Key == "Tree");

        Assert.Equal(30, trees.Total);
        Assert.Equal(10, trees.Issues[QualityIssue.MissingInstallationDate]);
        Assert.Equal(10, trees.Issues[QualityIssue.MissingGeometry]);
        Assert.Equal(10, trees.Issues[QualityIssue.MissingDistrict]);
        Assert.Equal(10, trees.Issues[QualityIssue.StaleInspection]);
        Assert.Equal(10, trees.Issues[QualityIssue.PastExpectedLife]);
        Assert.Equal(10, trees.Issues[QualityIssue.MissingReplacementCost]);
        Assert.Equal(10.0 / 30, trees.Completeness, 3);

        foreach (var issue in DataQualityService.Shown)
        {
            var listed = await _registry.QueryAsync(new RegistryFilter { Type = "Tree", Issue = issue }, new RegistrySort(), 0, 100);
            Assert.Equal(trees.Issues[issue], listed.Total);
        }

        var noDistrict = report.ByDistrict.Single(c => c.Key == RegistryFilterValues.None);
        Assert.Equal(10, noDistrict.Total);
        Assert.Equal(10, (await _registry.QueryAsync(new RegistryFilter { District = RegistryFilterValues.None }, new RegistrySort(), 0, 100)).Total);
    }

    [Fact]
    public async Task Quality_OutOfRange_FindsNumbersOutsideTheirRange_AndLocationsOutsideTheirDistrict()
    {
        await using (var db = await _db.Factory.CreateDbContextAsync())
        {
            db.Districts.Add(new DistrictRecord
            {
                Code = "OR", Name = "Old Riverside", Boundary = """{"type":"Polygon","coordinates":[[[4.40,50.89],[4.42,50.89],[4.42,50.91],[4.40,50.91],[4.40,50.89]]]}""",
                MinLon = 4.40, MinLat = 50.89, MaxLon = 4.42, MaxLat = 50.91,
            });
            await db.SaveChangesAsync();
        }

        var store = new AssetStore(_db.Factory, _time);
        var height = AssetTypeCatalog.Streetlight.FindAttribute("lanternHeight")!.Iri;
        async Task<Asset> Lamp(string local, double lon, double lat)
        {
            var lamp = Asset.Create(AssetId.For("Streetlight", local), AssetTypeCatalog.Streetlight, "Lamp " + local, _time.GetUtcNow());
            lamp.Locate(AssetGeometry.Point(lon, lat));
            lamp.AssignTo("Lighting", "OR");
            lamp.SetAttribute(height, AttributeValue.OfNumber(10, "MTR"));
            await store.CreateAsync(lamp, new ChangeContext(ChangeActor.System("test"), ChangeOperations.Create));
            return lamp;
        }

        var fine = await Lamp("range-ok", 4.41, 50.90);
        var swapped = await Lamp("range-swapped", 50.90, 4.41); // longitude and latitude swapped
        var tall = await Lamp("range-tall", 4.41, 50.90);
        await using (var db = await _db.Factory.CreateDbContextAsync())
        {
            // A value stored around the registry's rules (legacy data, a narrowed range): 95 m for a 1–40 m attribute.
            await db.Database.ExecuteSqlRawAsync(
                "UPDATE Assets SET Attributes = json_set(Attributes, {0}, 95) WHERE Id = {1}", SqliteJson.ValuePath(height), tall.Id.Value);
        }

        var report = await _quality.ReportAsync();
        Assert.Equal(2, report.ByType.Single(c => c.Key == "Streetlight").Issues[QualityIssue.OutOfRange]);
        Assert.Equal(2, report.ByDistrict.Single(c => c.Key == "OR").Issues[QualityIssue.OutOfRange]);
        var listed = await _registry.QueryAsync(new RegistryFilter { Issue = QualityIssue.OutOfRange }, new RegistrySort(), 0, 100);
        Assert.Equal([swapped.Id.Value, tall.Id.Value], listed.Rows.Select(r => r.Id).Order(StringComparer.Ordinal));

        // The asset's own Data quality tab says the same.
        var box = new GeoBounds(4.40, 50.89, 4.42, 50.91);
        Assert.DoesNotContain(QualityIssue.OutOfRange, DataQuality.IssuesOf((await store.FindAsync(fine.Id.Value))!, Today, box));
        Assert.Contains(QualityIssue.OutOfRange, DataQuality.IssuesOf((await store.FindAsync(swapped.Id.Value))!, Today, box));
        Assert.Contains(QualityIssue.OutOfRange, DataQuality.IssuesOf((await store.FindAsync(tall.Id.Value))!, Today, box));
    }

    [Fact]
    public async Task AsOfList_AppliesInstallationYearsAndNoDistrict_AndSaysWhichFiltersItCannotApply()
    {
        var store = new AssetStore(_db.Factory, _time);
        _time.Advance(TimeSpan.FromDays(2));
        var id = AssetId.For("Tree", "q00").Value;
        var tree = (await store.FindAsync(id))!;
        await store.UpdateAsync(id, tree.Version, a => a.SetLifecycle(new DateOnly(1950, 1, 1), 80, 1000m, 2, Today.AddDays(2)),
            new ChangeContext(ChangeActor.System("test"), ChangeOperations.Update));

        var oldTrees = new RegistryFilter { Type = "Tree", InstalledTo = 1960 };
        Assert.Equal(11, (await _registry.QueryAsync(oldTrees, new RegistrySort(), 0, 100)).Total);
        var past = await _registry.QueryAsync(oldTrees with { AsOf = Today }, new RegistrySort("installedOn", true), 0, 100);
        Assert.Equal(10, past.Total);
        Assert.All(past.Rows, r => Assert.Equal(new DateOnly(1900, 1, 1), r.InstalledOn));
        Assert.Empty(past.NotApplied);

        var pastWithoutDistrict = await _registry.QueryAsync(new RegistryFilter { District = RegistryFilterValues.None, AsOf = Today }, new RegistrySort(), 0, 100);
        Assert.Equal(10, pastWithoutDistrict.Total);

        var pastIssue = await _registry.QueryAsync(new RegistryFilter { Issue = QualityIssue.StaleInspection, AsOf = Today }, new RegistrySort(), 0, 100);
        Assert.Contains("data quality", Assert.Single(pastIssue.NotApplied), StringComparison.Ordinal);
    }
}
