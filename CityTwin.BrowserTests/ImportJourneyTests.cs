using System.Text;
using System.Text.RegularExpressions;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CityTwin.BrowserTests;

/// <summary>Issue #4's wizard: upload a CSV, check the proposed mapping, dry run, commit, find the assets in the registry.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ImportJourneyTests(RunningApp app)
{
    [Fact]
    public async Task Curator_UploadsCsv_MapsColumns_DryRun_Commit_AndFindsTheAssets()
    {
        var email = await app.CreateStaffAsync($"importer-{Guid.NewGuid():N}@riverford.example", Roles.Curator);
        var page = await app.NewPageAsync();
        await page.GotoAsync("/staff/import-export");
        await new SignInPage(page).SignInAsync(email, RunningApp.StaffPassword);
        await new StaffShell(page).WaitInteractiveAsync();

        var suffix = Guid.NewGuid().ToString("N")[..6];
        var csv = "bench_id;name;lat;lon;capacity;remark\n" +
                  $"B{suffix}1;Bench at the mill {suffix};50,9012;4,4712;3;painted 2024\n" +
                  $"B{suffix}2;Bench by the river {suffix};50,9020;4,4730;4;\n" +
                  $"B{suffix}3;Broken bench {suffix};50,9030;4,4740;many;\n";
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "benches.csv", MimeType = "text/csv", Buffer = Encoding.Latin1.GetBytes(csv), // ISO-8859-1, as older GIS exports write it
        });
        await Assertions.Expect(page.Locator("#import-file-info")).ToContainTextAsync("3 rows");
        await Assertions.Expect(page.Locator("#import-file-info")).ToContainTextAsync("delimiter ';'");

        await page.Locator("#import-type").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Point of interest", Exact = true }).ClickAsync();
        var mapping = page.Locator("#import-mapping");
        await Assertions.Expect(mapping).ToBeVisibleAsync();
        // proposed: key bench_id, name, lat/lon; capacity is recognised as the type's attribute
        await Assertions.Expect(page.Locator("#map-fields")).ToContainTextAsync("capacity");
        await page.GetByLabel("Import remark as").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "New attribute \"remark\"" }).ClickAsync();
        await RunningApp.ScreenshotAsync(page, "import-mapping", fullPage: true);

        await page.Locator("#import-dryrun").ClickAsync();
        await Assertions.Expect(page.Locator("#import-counts")).ToContainTextAsync("3 records: 2 new, 0 updated, 0 unchanged, 1 rejected", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#import-issues")).ToContainTextAsync("many");
        await Assertions.Expect(page.Locator("#import-report-csv")).ToHaveAttributeAsync("href", new Regex("^data:text/csv"));
        await RunningApp.ScreenshotAsync(page, "import-dryrun", fullPage: true);

        // Fix the rejected row in the mapping: "many" benches' capacity becomes 20; every record gets category "bench".
        await page.Locator("#map-fields tr", new() { HasText = "capacity" }).GetByRole(AriaRole.Button, new() { Name = "Translate…" }).ClickAsync();
        await page.GetByLabel("capacity many stored as").FillAsync("20");
        await page.GetByLabel("capacity many stored as").PressAsync("Tab");
        await page.Locator("#map-constant-target").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Category (category)" }).ClickAsync();
        await page.Locator("#map-constant-value").FillAsync("bench");
        await page.Locator("#map-constant-value").PressAsync("Tab");
        await page.Locator("#map-constant-add").ClickAsync();
        await Assertions.Expect(page.Locator(".import-constant")).ToContainTextAsync("Category = bench");
        await RunningApp.ScreenshotAsync(page, "import-value-map", fullPage: true);
        await page.Locator("#import-dryrun").ClickAsync();
        await Assertions.Expect(page.Locator("#import-counts")).ToContainTextAsync("3 records: 3 new, 0 updated, 0 unchanged, 0 rejected", new() { Timeout = 15_000 });

        await page.Locator("#import-commit").ClickAsync();
        await Assertions.Expect(page.Locator("#import-done")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var store = app.Services.GetRequiredService<AssetStore>();
        var saved = await store.FindAsync($"urn:ngsi-ld:PointOfInterest:benches-B{suffix}1");
        Assert.NotNull(saved);
        Assert.Equal($"Bench at the mill {suffix}", saved.Name);
        Assert.Equal(50.9012, saved.Geometry!.Anchor.Latitude, 6);
        var broken = await store.FindAsync($"urn:ngsi-ld:PointOfInterest:benches-B{suffix}3");
        Assert.Equal(20, broken!.Attributes["https://smartdatamodels.org/dataModel.PointOfInterest/capacity"].Number);
        Assert.Equal("bench", broken.Attributes["https://smartdatamodels.org/dataModel.PointOfInterest/category"].Text);

        await page.Locator("#import-open-registry").ClickAsync();
        await page.Locator("#registry-search").FillAsync($"bench {suffix}");
        await page.Locator("#registry-search").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#registry-grid")).ToContainTextAsync($"Bench at the mill {suffix}", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#registry-grid")).ToContainTextAsync($"Bench by the river {suffix}");
        await RunningApp.ScreenshotAsync(page, "import-in-registry", fullPage: false);
        await page.Context.CloseAsync();
    }
}
