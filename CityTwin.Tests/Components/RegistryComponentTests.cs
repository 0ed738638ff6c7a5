using Bunit;
using CityTwin.Domain.Assets;
using CityTwin.Domain.Geography;
using CityTwin.Domain.History;
using CityTwin.Tests.Data;
using CityTwin.Tests.Support;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Assets;
using CityTwin.Web.Features.Registry;
using CityTwin.Web.Features.Security;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CityTwin.Tests.Components;

/// <summary>The edit form's field validation and the conflict dialog, rendered with bUnit over a real SQLite database.</summary>
public sealed class RegistryComponentTests : ComponentTestContext
{
    private TestDatabase? _db;

    private async Task<AssetStore> UseDatabaseAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var time = TimeProvider.System;
        var store = new AssetStore(_db.Factory, time);
        var queries = new RegistryQueryService(_db.Factory, time);
        Services.AddSingleton(store);
        Services.AddSingleton(queries);
        Services.AddSingleton(new RegistryCommands(store, queries, _db.Factory, time));
        Services.AddSingleton(new AssetQueryService(_db.Factory));
        var auth = AddAuthorization();
        auth.SetAuthorized("curator@riverford.example");
        auth.SetRoles(Roles.Curator);
        await store.CreateAsync(AssetMapperTests.Sample("form-1"), new ChangeContext(ChangeActor.System("test"), "Create"));
        return store;
    }

    protected override async Task CleanupAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    [Fact]
    public async Task EditForm_ShowsTheFieldMessage_AndRefusesToSaveAnInvalidValue()
    {
        var store = await UseDatabaseAsync();
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        var page = Render<AssetEditPage>(p => p.Add(x => x.Id, "urn:ngsi-ld:Tree:form-1"));
        page.WaitForElement("#f-replacementCost");

        // The fields take each input at once and validate as the curator types.
        page.Find("#f-replacementCost").Input("-5");
        page.Find("#f-replacementCost").Blur();
        page.WaitForAssertion(() => Assert.Contains("The replacement cost cannot be negative.", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(3));

        page.Find("#f-attr-trunkDiameter, #f-attr-https---w3id-org-citytwin-trunkDiameter").Input("9000");
        page.Find("#f-attr-trunkDiameter, #f-attr-https---w3id-org-citytwin-trunkDiameter").Blur();
        page.WaitForAssertion(() => Assert.Contains("between 0 and 600", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(3));

        page.Find("#f-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Please correct 2 fields below; nothing was saved.", page.Markup, StringComparison.Ordinal));
        Assert.Equal(1, (await store.FindAsync("urn:ngsi-ld:Tree:form-1"))!.Version);
    }

    [Fact]
    public async Task EditForm_RequiresAName_AndADateForACondition()
    {
        await UseDatabaseAsync();
        Render<MudPopoverProvider>();
        var page = Render<AssetEditPage>(p => p.Add(x => x.Id, "urn:ngsi-ld:Tree:form-1"));
        page.WaitForElement("#f-name");
        page.Find("#f-name").Input("");
        page.Find("#f-name").Blur();
        page.Find("#f-inspectedOn").Input("");
        page.Find("#f-inspectedOn").Blur();
        page.Find("#f-save").Click();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("name is required.", page.Markup, StringComparison.Ordinal);
            Assert.Contains("A condition needs the date of the inspection.", page.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task EditForm_ShowsEveryLinkedGroupByName_AndSavingKeepsTheOnesNotRemoved()
    {
        var store = await UseDatabaseAsync();
        var now = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
        var groups = AssetTypeCatalog.StreetlightControlCabinet.FindAttribute("refStreetlightGroup")!.Iri;
        var cabinet = Asset.Create(new AssetId("urn:ngsi-ld:StreetlightControlCabinet:form-c"), AssetTypeCatalog.StreetlightControlCabinet, "Quay cabinet", now);
        foreach (var g in new[] { "North", "South", "East" })
        {
            var group = Asset.Create(new AssetId("urn:ngsi-ld:StreetlightGroup:form-" + g), AssetTypeCatalog.StreetlightGroup, g + " quay circuit", now);
            await store.CreateAsync(group, new ChangeContext(ChangeActor.System("test"), ChangeOperations.Create));
            cabinet.LinkTo(groups, group.Id);
        }

        await store.CreateAsync(cabinet, new ChangeContext(ChangeActor.System("test"), ChangeOperations.Create));
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        var page = Render<AssetEditPage>(p => p.Add(x => x.Id, cabinet.Id.Value));
        page.WaitForElement("#f-rel-refStreetlightGroup");
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("#f-rel-refStreetlightGroup .rel-target").Count));
        var chips = page.Find("#f-rel-refStreetlightGroup").TextContent;
        Assert.Contains("North quay circuit · Street light group", chips, StringComparison.Ordinal);
        Assert.Contains("East quay circuit", chips, StringComparison.Ordinal);

        // Remove "South", then save: North and East stay linked.
        var south = page.FindAll("#f-rel-refStreetlightGroup .rel-target").Single(c => c.TextContent.Contains("South", StringComparison.Ordinal));
        south.QuerySelector("button")!.Click();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#f-rel-refStreetlightGroup .rel-target").Count));
        page.Find("#f-save").Click();
        page.WaitForAssertion(() => Assert.Equal(2, store.FindAsync(cabinet.Id.Value).GetAwaiter().GetResult()!.Version), TimeSpan.FromSeconds(5));
        var saved = (await store.FindAsync(cabinet.Id.Value))!;
        Assert.Equal(["urn:ngsi-ld:StreetlightGroup:form-East", "urn:ngsi-ld:StreetlightGroup:form-North"],
            saved.Relationships.Where(r => r.Iri == groups).Select(r => r.Target.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ConflictDialog_ListsDifferingFields_AndMergesTheChoices()
    {
        var store = await UseDatabaseAsync();
        var asset = (await store.FindAsync("urn:ngsi-ld:Tree:form-1"))!;
        var baseline = AssetForm.From(asset);
        var mine = baseline.Clone();
        mine["address"] = "My address";
        mine["name"] = "My name";
        var theirs = baseline.Clone();
        theirs["address"] = "Their address";
        theirs["department"] = "Their department";

        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<ConflictDialog> { { d => d.Mine, mine }, { d => d.Theirs, theirs }, { d => d.Base, baseline } };
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<ConflictDialog>("Conflict", parameters));

        provider.WaitForElement("#conflict-table");
        var fields = provider.FindAll("#conflict-table tbody tr").Select(r => r.GetAttribute("data-field")).ToList();
        Assert.Equal(["address", "department", "name"], fields);

        // Defaults: keep mine where I edited (address, name), take theirs where only they did (department).
        provider.Find("#conflict-save").Click();
        var result = await reference!.Result;
        var merged = Assert.IsType<AssetForm>(result!.Data);
        Assert.Equal(("My address", "My name", "Their department"), (merged["address"], merged["name"], merged["department"]));
    }

    [Fact]
    public void ConflictRow_Merge_TakesTheirsUnlessIChoseMine()
    {
        var asset = AssetMapperTests.Sample("pure");
        var baseline = AssetForm.From(asset);
        var mine = baseline.Clone();
        mine["address"] = "A";
        var theirs = baseline.Clone();
        theirs["address"] = "B";
        theirs["longitude"] = "4.5";

        var rows = ConflictRow.Build(baseline, mine, theirs);
        Assert.Equal(2, rows.Count);
        rows.Single(r => r.Key == "address").KeepMine = false;
        var merged = ConflictRow.Merge(mine, theirs, rows);
        Assert.Equal(("B", "4.5"), (merged["address"], merged["longitude"]));
        Assert.NotNull(AssetGeometry.Point(4.5, 50.9));
    }
}
