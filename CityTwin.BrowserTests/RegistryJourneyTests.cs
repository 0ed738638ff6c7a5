using System.Text.RegularExpressions;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CityTwin.BrowserTests;

/// <summary>Issue #3's journeys: find, edit with a reason, history, conflicts, bulk edit, read-only roles, "as of".</summary>
[Collection(BrowserCollection.Name)]
public sealed class RegistryJourneyTests(RunningApp app)
{
    private async Task<IPage> SignedInAsync(string role, string path)
    {
        var email = await app.CreateStaffAsync($"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@riverford.example", role);
        var page = await app.NewPageAsync();
        await page.GotoAsync(path);
        await new SignInPage(page).SignInAsync(email, RunningApp.StaffPassword);
        await new StaffShell(page).WaitInteractiveAsync();
        return page;
    }

    private async Task<(string Id, string Name)> AnyAssetAsync(string type, int skip)
    {
        var db = app.Services.GetRequiredService<IDbContextFactory<CityTwinDbContext>>();
        await using var context = await db.CreateDbContextAsync();
        var row = await context.Assets.Where(a => a.Type == type && a.Status == "Active").OrderBy(a => a.Seq).Skip(skip).Select(a => new { a.Id, a.Name }).FirstAsync();
        return (row.Id, row.Name);
    }

    /// <summary>
    /// Types a value and leaves the field as a user does (Tab), so the field commits on "change". On a loaded CI machine
    /// that change was once lost (the value stayed in the box, no validation ran): the change event is dispatched again,
    /// which is idempotent for the same value.
    /// </summary>
    private static async Task CommitFieldAsync(IPage page, string selector, string value)
    {
        var field = page.Locator(selector);
        await field.FillAsync(value);
        await field.PressAsync("Tab");
        await field.DispatchEventAsync("change");
    }

    private static string DetailPath(string id) => "/staff/registry/asset/" + Uri.EscapeDataString(id);

    [Fact]
    public async Task Curator_FindsByText_Edits_AndSeesTheChangeInHistoryWithTheReason()
    {
        var page = await SignedInAsync(Roles.Curator, "/staff/registry");
        var console = new List<string>();
        page.Console += (_, m) => console.Add(m.Type + ": " + m.Text);
        await page.Locator("#registry-search").FillAsync("horse chestnut");
        await page.Locator("#registry-search").PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("q=horse(%20|\\+)chestnut"));
        await Assertions.Expect(page.Locator("#registry-count")).Not.ToHaveTextAsync(new Regex("^9,"));
        var first = page.Locator("#registry-grid a.asset-link").First;
        await Assertions.Expect(first).ToContainTextAsync("Horse chestnut");
        await RunningApp.ScreenshotAsync(page, "registry-list-search", fullPage: false);
        await first.ClickAsync();

        await Assertions.Expect(page.Locator("#asset-name")).ToContainTextAsync("Horse chestnut");
        await page.Locator("#asset-edit").ClickAsync();
        await Assertions.Expect(page.Locator("#f-name")).ToBeVisibleAsync();
        await CommitFieldAsync(page, "#f-address", "1 Fair Square, Riverford");
        await CommitFieldAsync(page, "#f-replacementCost", "-5");
        var negative = page.GetByText("cannot be negative");
        try
        {
            await negative.WaitForAsync(new() { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
            // Seen twice on a loaded CI machine: the value stayed in the box but no validation came back. Type it again
            // as a user would; a second miss fails the test below.
            await page.Locator("#f-replacementCost").ClearAsync();
            await page.Locator("#f-replacementCost").PressSequentiallyAsync("-5");
            await page.Locator("#f-replacementCost").PressAsync("Tab");
        }

        await Assertions.Expect(negative).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await CommitFieldAsync(page, "#f-replacementCost", "1950");
        await CommitFieldAsync(page, "#f-reason", "Survey of the fair square, Nov 2026");
        await RunningApp.ScreenshotAsync(page, "registry-edit", fullPage: false);
        await page.Locator("#f-save").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/staff/registry/asset/[^/]+$"));
        await page.GetByRole(AriaRole.Tab, new() { Name = "History" }).ClickAsync();
        var history = page.Locator("#history-table");
        await Assertions.Expect(history).ToContainTextAsync("1 Fair Square, Riverford");
        await Assertions.Expect(history).ToContainTextAsync("Survey of the fair square, Nov 2026");
        await Assertions.Expect(history).ToContainTextAsync("Replacement cost");
        await RunningApp.ScreenshotAsync(page, "registry-history", fullPage: false);
        Assert.DoesNotContain(console, m => m.StartsWith("error", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RegistryList_IsVirtualised_AndLoadsRowsAsTheCuratorScrolls()
    {
        var page = await SignedInAsync(Roles.DecisionMaker, "/staff/registry");
        var links = page.Locator("#registry-grid a.asset-link");
        await Assertions.Expect(links.First).ToBeVisibleAsync();
        var firstName = await links.First.InnerTextAsync();
        Assert.InRange(await links.CountAsync(), 1, 200);

        await page.Locator("#registry-grid .mud-table-container").EvaluateAsync("e => e.scrollTop = e.scrollHeight");
        await Assertions.Expect(links.First).Not.ToHaveTextAsync(firstName, new() { Timeout = 10_000 });
        // The rows re-render as the slice arrives: read the last one once the grid has settled (seen once on CI: the
        // last link was read mid-update).
        var lastName = await links.Last.InnerTextAsync();
        for (var attempt = 0; attempt < 20 && string.Compare(lastName, firstName, StringComparison.Ordinal) <= 0; attempt++)
        {
            await page.WaitForTimeoutAsync(250);
            lastName = await links.Last.InnerTextAsync();
        }

        Assert.True(string.Compare(lastName, firstName, StringComparison.Ordinal) > 0, $"'{lastName}' comes after '{firstName}'");
        // Virtualize may still be swapping in placeholders for a further slice (CI once counted 0 links mid-load):
        // what matters is that once settled the page holds a bounded window of rows, never the whole registry.
        var count = await links.CountAsync();
        for (var attempt = 0; attempt < 40 && count == 0; attempt++)
        {
            await page.WaitForTimeoutAsync(250);
            count = await links.CountAsync();
        }

        Assert.InRange(count, 1, 200);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TwoCurators_EditTheSameAsset_TheSecondSeesTheConflict()
    {
        var (id, _) = await AnyAssetAsync("WasteContainer", 3);
        var first = await SignedInAsync(Roles.Curator, DetailPath(id) + "/edit");
        var second = await SignedInAsync(Roles.Curator, DetailPath(id) + "/edit");
        await Assertions.Expect(first.Locator("#f-name")).ToBeVisibleAsync();
        await Assertions.Expect(second.Locator("#f-name")).ToBeVisibleAsync();

        await first.Locator("#f-address").FillAsync("Quay 1 (first curator)");
        await first.Locator("#f-save").ClickAsync();
        await Assertions.Expect(first).ToHaveURLAsync(new Regex("/staff/registry/asset/[^/]+$"));

        await second.Locator("#f-address").FillAsync("Quay 2 (second curator)");
        await second.Locator("#f-save").ClickAsync();
        var conflict = second.Locator("#conflict-table");
        await Assertions.Expect(conflict).ToBeVisibleAsync();
        await Assertions.Expect(conflict).ToContainTextAsync("Quay 1 (first curator)");
        await Assertions.Expect(conflict).ToContainTextAsync("Quay 2 (second curator)");
        await RunningApp.ScreenshotAsync(second, "registry-conflict", fullPage: false);

        // Nothing was overwritten before the choice.
        Assert.Equal("Quay 1 (first curator)", (await app.Services.GetRequiredService<AssetStore>().FindAsync(id))!.Address);

        await second.Locator("#conflict-save").ClickAsync();
        await Assertions.Expect(second).ToHaveURLAsync(new Regex("/staff/registry/asset/[^/]+$"));
        var saved = await app.Services.GetRequiredService<AssetStore>().FindAsync(id);
        Assert.Equal("Quay 2 (second curator)", saved!.Address);
        Assert.Equal(3, saved.Version);
        await first.Context.CloseAsync();
        await second.Context.CloseAsync();
    }

    [Fact]
    public async Task BulkEdit_OfAFilteredSet_UpdatesExactlyThatSet()
    {
        var db = app.Services.GetRequiredService<IDbContextFactory<CityTwinDbContext>>();
        int expected, othersBefore;
        await using (var context = await db.CreateDbContextAsync())
        {
            expected = await context.Assets.CountAsync(a => a.Type == "EVChargingStation" && a.DistrictCode == "RS" && a.Status != "Decommissioned");
            othersBefore = await context.Assets.CountAsync(a => a.Department == "E-mobility team");
        }

        var page = await SignedInAsync(Roles.Curator, "/staff/registry?type=EVChargingStation&district=RS");
        await Assertions.Expect(page.Locator("#registry-count")).ToContainTextAsync($"{expected} asset");
        await page.Locator("#bulk-edit-open").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.Locator(".mud-select").First.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Department" }).ClickAsync();
        await dialog.Locator("#bulk-value").FillAsync("E-mobility team");
        await dialog.Locator("#bulk-reason").FillAsync("New team owns the chargers of Riverside");
        await dialog.Locator("#bulk-preview-button").ClickAsync();
        await Assertions.Expect(dialog.Locator("#bulk-preview")).ToContainTextAsync($"{expected} of {expected} selected assets will change");
        await RunningApp.ScreenshotAsync(page, "registry-bulk-edit", fullPage: false);
        await dialog.Locator("#bulk-apply").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        await using (var context = await db.CreateDbContextAsync())
        {
            Assert.Equal(expected + othersBefore, await context.Assets.CountAsync(a => a.Department == "E-mobility team"));
            Assert.Equal(expected, await context.Assets.CountAsync(a => a.Department == "E-mobility team" && a.Type == "EVChargingStation" && a.DistrictCode == "RS"));
            Assert.Equal(expected, await context.AssetChanges.CountAsync(c => c.Operation == "BulkEdit" && c.To == "E-mobility team" && c.Reason == "New team owns the chargers of Riverside"));
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task FilteredSelection_DownloadsAsCsv_FromTheExportMenu()
    {
        var page = await SignedInAsync(Roles.DecisionMaker, "/staff/registry?type=OffStreetParking");
        await Assertions.Expect(page.Locator("#registry-count")).ToContainTextAsync("10 assets");
        await page.Locator("#export-menu").ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Menuitem, new() { Name = "CSV (UTF-8)" }).ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var path = await download.PathAsync();
        var lines = (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).ToList();
        Assert.StartsWith("id,type,name", lines[0], StringComparison.Ordinal);
        Assert.Equal(10, lines.Count(l => l.StartsWith("urn:ngsi-ld:OffStreetParking:", StringComparison.Ordinal)));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task DecisionMaker_ReadsTheRegistry_ButCannotEdit()
    {
        var (id, name) = await AnyAssetAsync("Building", 2);
        var page = await SignedInAsync(Roles.DecisionMaker, DetailPath(id));
        await Assertions.Expect(page.Locator("#asset-name")).ToHaveTextAsync(name);
        await Assertions.Expect(page.Locator("#asset-edit")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#asset-decommission")).ToHaveCountAsync(0);
        // The map takes the Location section's whole width, above its fields (it once sat in the label column).
        var map = page.Locator(".detail-map");
        await Assertions.Expect(map).ToBeVisibleAsync();
        var mapBox = await map.BoundingBoxAsync();
        var sectionBox = await map.Locator("xpath=..").BoundingBoxAsync();
        Assert.True(mapBox!.Width >= sectionBox!.Width * 0.95, $"map {mapBox.Width}px wide in a {sectionBox.Width}px section");
        await Assertions.Expect(map.Locator("xpath=..")).ToContainTextAsync("Centre of its extent (lon, lat)");
        await RunningApp.ScreenshotAsync(page, "registry-detail-decision-maker", fullPage: false);

        await page.GotoAsync(DetailPath(id) + "/edit");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/access-denied"));
        await page.GotoAsync("/staff/registry");
        await Assertions.Expect(page.Locator("#registry-count")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#bulk-edit-open")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CitizenPreview_HidesInternalAttributesAndFields_ThatStaffSee()
    {
        var db = app.Services.GetRequiredService<IDbContextFactory<CityTwinDbContext>>();
        string id;
        await using (var context = await db.CreateDbContextAsync())
        {
            id = await context.Assets.Where(a => a.Type == "Device" && a.Status == "Active" && a.Publication == "Public" && a.Department != null)
                .OrderBy(a => a.Seq).Select(a => a.Id).FirstAsync();
        }

        var page = await SignedInAsync(Roles.DecisionMaker, DetailPath(id));
        var details = page.GetByRole(AriaRole.Tabpanel);
        await Assertions.Expect(details).ToContainTextAsync("Serial number"); // Internal by default for sensors
        await Assertions.Expect(details).ToContainTextAsync("Department");
        // The sensor's position is drawn on its map (a circle marker), before and after the switch.
        var marker = page.Locator(".detail-map path.leaflet-interactive");
        await Assertions.Expect(marker).ToHaveCountAsync(1);
        await page.Locator("#citizen-view").ClickAsync();
        await Assertions.Expect(details).Not.ToContainTextAsync("Serial number");
        await Assertions.Expect(marker).ToHaveCountAsync(1);
        var dot = await marker.BoundingBoxAsync();
        var frame = await page.Locator(".detail-map").BoundingBoxAsync();
        Assert.True(dot is not null && frame is not null && dot.X >= frame.X && dot.X + dot.Width <= frame.X + frame.Width
            && dot.Y >= frame.Y && dot.Y + dot.Height <= frame.Y + frame.Height,
            $"marker at {dot?.X},{dot?.Y} ({dot?.Width}x{dot?.Height}) inside the map at {frame?.X},{frame?.Y} ({frame?.Width}x{frame?.Height})");
        await Assertions.Expect(details).Not.ToContainTextAsync("Department");
        await Assertions.Expect(details).ToContainTextAsync("Battery level"); // public attribute stays
        await RunningApp.ScreenshotAsync(page, "registry-citizen-preview", fullPage: false);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SensorDetail_ShowsItsMapAndObservationChart_WithADataTable()
    {
        var (id, name) = await AnyAssetAsync("Device", 1);
        var page = await SignedInAsync(Roles.DecisionMaker, DetailPath(id));
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") { errors.Add(m.Text); } };
        await Assertions.Expect(page.Locator("#asset-name")).ToHaveTextAsync(name);
        await Assertions.Expect(page.Locator(".leaflet-host[data-map-ready='true'] .leaflet-interactive")).ToHaveCountAsync(1);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Observations" }).ClickAsync();
        await Assertions.Expect(page.Locator(".apexcharts-canvas")).ToBeVisibleAsync();
        await page.Locator(".chart-table summary").First.ClickAsync();
        await Assertions.Expect(page.Locator(".chart-table tbody tr").First).ToBeVisibleAsync();
        await RunningApp.ScreenshotAsync(page, "registry-sensor-chart", fullPage: false);
        Assert.Empty(errors);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Curator_PlacesANewAssetOnTheMap()
    {
        var page = await SignedInAsync(Roles.Curator, "/staff/registry/new?type=PointOfInterest");
        await Assertions.Expect(page.Locator("#f-name")).ToBeVisibleAsync();
        await page.Locator("#f-name").FillAsync("Bench by the new playground");
        var map = page.Locator(".edit-map .leaflet-host[data-map-ready='true']");
        await Assertions.Expect(map).ToBeVisibleAsync();
        await map.ClickAsync(new() { Position = new() { X = 120, Y = 100 } });
        await Assertions.Expect(page.Locator("#f-longitude")).Not.ToHaveValueAsync("");
        await Assertions.Expect(page.Locator(".edit-map .leaflet-interactive")).ToHaveCountAsync(1);
        await page.Locator("#f-reason").FillAsync("New bench, works order 2026-114");
        await page.Locator("#f-save").ClickAsync();

        await Assertions.Expect(page.Locator("#asset-name")).ToHaveTextAsync("Bench by the new playground");
        var id = Uri.UnescapeDataString(new Uri(page.Url).AbsolutePath.Split('/').Last());
        var created = await app.Services.GetRequiredService<AssetStore>().FindAsync(id);
        Assert.NotNull(created!.Geometry);
        Assert.InRange(created.Geometry!.Anchor.Latitude, 50.0, 52.0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Curator_EditsACabinet_KeepsEveryGroupItFeeds_AndAddsOneByName()
    {
        var (cabinetId, _) = await AnyAssetAsync("StreetlightControlCabinet", 1);
        var store = app.Services.GetRequiredService<AssetStore>();
        const string feeds = "https://smartdatamodels.org/dataModel.Streetlighting/refStreetlightGroup";
        var before = (await store.FindAsync(cabinetId))!.Relationships.Where(r => r.Iri == feeds).Select(r => r.Target.Value).ToHashSet();
        Assert.True(before.Count >= 2, "the demo cabinet feeds several groups");
        var db = app.Services.GetRequiredService<IDbContextFactory<CityTwinDbContext>>();
        string newGroup, newGroupName;
        await using (var context = await db.CreateDbContextAsync())
        {
            var row = await context.Assets.Where(a => a.Type == "StreetlightGroup" && a.Status == "Active" && !before.Contains(a.Id))
                .OrderBy(a => a.Seq).Select(a => new { a.Id, a.Name }).FirstAsync();
            (newGroup, newGroupName) = (row.Id, row.Name);
        }

        var page = await SignedInAsync(Roles.Curator, DetailPath(cabinetId) + "/edit");
        var chips = page.Locator("#f-rel-refStreetlightGroup .rel-target");
        await Assertions.Expect(chips).ToHaveCountAsync(before.Count);
        await Assertions.Expect(chips.First).ToContainTextAsync("lighting circuit");

        var add = page.Locator("#f-rel-refStreetlightGroup-add");
        await add.FillAsync(newGroupName);
        var option = page.Locator(".mud-popover-open .mud-list-item", new() { HasText = newGroupName }).First;
        await option.ClickAsync();
        await Assertions.Expect(chips).ToHaveCountAsync(before.Count + 1);
        await Assertions.Expect(add).ToHaveValueAsync(""); // ready for the next link
        await RunningApp.ScreenshotAsync(page, "registry-edit-relationships", fullPage: true);
        await page.Locator("#f-reason").FillAsync("Circuit moved to this cabinet");
        await page.Locator("#f-save").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/staff/registry/asset/[^/]+$"));
        var after = (await store.FindAsync(cabinetId))!.Relationships.Where(r => r.Iri == feeds).Select(r => r.Target.Value).ToHashSet();
        Assert.True(after.SetEquals(before.Append(newGroup)));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AsOfView_ShowsTheValueBeforeAnEdit()
    {
        var (id, oldName) = await AnyAssetAsync("PointOfInterest", 5);
        var store = app.Services.GetRequiredService<AssetStore>();
        var current = (await store.FindAsync(id))!;
        await store.UpdateAsync(id, current.Version, a => a.Rename(oldName + " (renamed today)"),
            new ChangeContext(new CityTwin.Domain.History.ChangeActor("test", CityTwin.Domain.History.ActorKind.User), "Update", "rename for the as-of test"));
        var yesterday = DateTime.UtcNow.Date.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var page = await SignedInAsync(Roles.DecisionMaker, DetailPath(id));
        await Assertions.Expect(page.Locator("#asset-name")).ToHaveTextAsync(oldName + " (renamed today)");
        // The detail page's own date picker (typed as a user would) opens the record as it was.
        var picker = page.Locator("input#asset-asof, #asset-asof input").First;
        await picker.FillAsync(yesterday);
        await picker.PressAsync("Tab");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("asof=" + yesterday));
        await Assertions.Expect(page.Locator("#as-of-banner")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#asset-name")).ToHaveTextAsync(oldName);

        await page.GotoAsync($"/staff/registry?asof={yesterday}&q={Uri.EscapeDataString(oldName)}");
        await Assertions.Expect(page.Locator("#as-of-banner")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#registry-grid a.asset-link", new() { HasText = oldName }).First).ToHaveTextAsync(oldName);
        await Assertions.Expect(page.Locator("#registry-grid")).Not.ToContainTextAsync("(renamed today)");
        await RunningApp.ScreenshotAsync(page, "registry-as-of", fullPage: false);
        await page.Context.CloseAsync();
    }
}
