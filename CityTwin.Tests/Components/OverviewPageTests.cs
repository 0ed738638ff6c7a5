using Bunit;
using CityTwin.Domain.Assets;
using CityTwin.Domain.Geography;
using CityTwin.Tests.Support;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Assets;
using CityTwin.Web.Features.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Tests.Components;

/// <summary>The staff overview against a real SQLite database through its feature service.</summary>
public sealed class OverviewPageTests : ComponentTestContext
{
    [Fact]
    public async Task Overview_CountsAssetsByTypeFromTheDatabase()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var context = await db.Factory.CreateDbContextAsync())
        {
            var now = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < 3; i++)
            {
                var tree = Asset.Create(AssetId.For("Tree", $"t{i}"), AssetTypeCatalog.Tree, $"Oak {i}", now);
                tree.RecordInspection(i + 1, new DateOnly(2026, 1, 1), new DateOnly(2026, 11, 27));
                tree.Locate(AssetGeometry.Point(4.47, 50.9));
                context.Assets.Add(AssetMapper.ToRecord(tree));
            }

            var light = Asset.Create(AssetId.For("Streetlight", "l1"), AssetTypeCatalog.Streetlight, "Lamp", now);
            light.Decommission(new DateOnly(2026, 2, 1));
            context.Assets.Add(AssetMapper.ToRecord(light));
            await context.SaveChangesAsync();
        }

        Services.AddSingleton(new AssetQueryService(db.Factory));
        var page = Render<OverviewPage>();

        page.WaitForAssertion(() => Assert.Contains("Trees", page.Find("#types-table").TextContent, StringComparison.Ordinal));
        var row = page.FindAll("#types-table tbody tr").Single();
        var cells = row.Children.Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["Trees", "3", "3", "0", "2", "2.00"], cells);
        Assert.Contains("Decommissioned (kept)", page.Markup, StringComparison.Ordinal);
    }
}
