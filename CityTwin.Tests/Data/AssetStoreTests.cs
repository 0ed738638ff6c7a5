using CityTwin.Domain;
using CityTwin.Domain.Assets;
using CityTwin.Domain.History;
using CityTwin.Tests.Support;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CityTwin.Tests.Data;

/// <summary>The single write path: rules, optimistic concurrency, change log and versions on a real SQLite file.</summary>
public sealed class AssetStoreTests : IAsyncLifetime
{
    private static readonly ChangeActor Curator = new("curator@riverford.example", ActorKind.User);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero)); // after the sample's creation (09:30)
    private TestDatabase _db = null!;
    private AssetStore _store = null!;
    private HistoryService _history = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _store = new AssetStore(_db.Factory, _time);
        _history = new HistoryService(_db.Factory);
        await _store.CreateAsync(AssetMapperTests.Sample("s-1"), new ChangeContext(ChangeActor.System("test"), "Create"));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private const string Id = "urn:ngsi-ld:Tree:s-1";

    [Fact]
    public async Task Update_WritesTheRowOneChangeEntryPerFieldAndAVersion()
    {
        _time.Advance(TimeSpan.FromHours(1));
        var result = await _store.UpdateAsync(Id, 1, a =>
        {
            a.Rename("Chestnut by the fair");
            a.RecordInspection(2, new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 27));
        }, new ChangeContext(Curator, "Update", "Inspection campaign 2026"));

        Assert.Equal(2, result.Asset.Version);
        Assert.Equal(["condition", "inspectedOn", "name"], result.Changes.Select(c => c.Field).Order());

        var history = await _history.ForAssetAsync(Id);
        var update = history.Where(h => h.Operation == "Update").ToList();
        Assert.Equal(3, update.Count);
        Assert.All(update, h => Assert.Equal(("curator@riverford.example", "Inspection campaign 2026", 2L), (h.Actor, h.Reason, h.Version)));
        Assert.Contains(update, h => h.Field == "condition" && h.From == "4" && h.To == "2");
        Assert.Contains(history, h => h.Operation == "Create");

        await using var context = await _db.Factory.CreateDbContextAsync();
        var version = await context.AssetVersions.SingleAsync();
        Assert.Equal((1L, "Horse chestnut on Mill Lane"), (version.Version, version.Name));
    }

    [Fact]
    public async Task Update_WithStaleVersion_IsRefusedWithTheCurrentState_AndWritesNothing()
    {
        await _store.UpdateAsync(Id, 1, a => a.Rename("First edit"), new ChangeContext(Curator, "Update"));

        var conflict = await Assert.ThrowsAsync<AssetConcurrencyException>(() =>
            _store.UpdateAsync(Id, 1, a => a.Rename("Second edit, stale"), new ChangeContext(Curator, "Update")));

        Assert.Equal("First edit", conflict.Current.Name);
        Assert.Equal(2, conflict.Current.Version);
        Assert.Equal("First edit", (await _store.FindAsync(Id))!.Name);
        Assert.DoesNotContain(await _history.ForAssetAsync(Id), h => h.To == "Second edit, stale");
    }

    [Fact]
    public async Task Update_BreakingARule_WritesNothing()
    {
        await Assert.ThrowsAsync<DomainException>(() => _store.UpdateAsync(Id, 1, a =>
        {
            a.Rename("Half-written?");
            a.RecordInspection(9, new DateOnly(2026, 1, 1), new DateOnly(2026, 11, 27));
        }, new ChangeContext(Curator, "Update")));

        var asset = await _store.FindAsync(Id);
        Assert.Equal(("Horse chestnut on Mill Lane", 1L), (asset!.Name, asset.Version));
    }

    [Fact]
    public async Task Update_ThatChangesNothing_KeepsTheVersionAndLogsNothing()
    {
        var result = await _store.UpdateAsync(Id, 1, a => a.Rename("Horse chestnut on Mill Lane"), new ChangeContext(Curator, "Update"));
        Assert.Empty(result.Changes);
        Assert.Equal(1, (await _store.FindAsync(Id))!.Version);
    }

    [Fact]
    public async Task Update_OfRelationships_KeepsUnchangedLinksAndReplacesOthers()
    {
        await _store.UpdateAsync(Id, 1, a =>
        {
            a.LinkTo("https://example.org/ns/nearTo", AssetId.For("Building", "b-2"));
            a.Unlink("https://example.org/ns/nearTo", AssetId.For("Building", "b-1"));
        }, new ChangeContext(Curator, "Update"));

        var asset = await _store.FindAsync(Id);
        Assert.Equal("urn:ngsi-ld:Building:b-2", Assert.Single(asset!.Relationships).Target.Value);
    }

    [Fact]
    public async Task AsOf_ShowsTheOldValueBeforeTheEdit_AndNothingBeforeCreation()
    {
        var created = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromDays(2));
        await _store.UpdateAsync(Id, 1, a => a.Rename("Renamed later"), new ChangeContext(Curator, "Update"));

        Assert.Equal("Horse chestnut on Mill Lane", (await _history.AsOfAsync(Id, created.AddDays(1)))!.Name);
        Assert.Equal("Renamed later", (await _history.AsOfAsync(Id, _time.GetUtcNow()))!.Name);
        Assert.Null(await _history.AsOfAsync(Id, created.AddDays(-30)));
    }

    [Fact]
    public async Task Decommission_ThenRestore_AreBothInHistory()
    {
        _time.Advance(TimeSpan.FromMinutes(5));
        await _store.UpdateAsync(Id, 1, a => a.Decommission(new DateOnly(2026, 11, 27)), new ChangeContext(Curator, "Decommission", "Felled after storm"));
        _time.Advance(TimeSpan.FromMinutes(5));
        await _store.UpdateAsync(Id, 2, a => a.Restore(), new ChangeContext(Curator, "Restore", "Wrong tree"));

        var history = await _history.ForAssetAsync(Id);
        Assert.Contains(history, h => h.Operation == "Decommission" && h.Field == "status" && h.To == "Decommissioned" && h.Reason == "Felled after storm");
        Assert.Contains(history, h => h.Operation == "Restore" && h.Field == "status" && h.To == "Active");
    }

    [Fact]
    public async Task Delete_RemovesTheRowButKeepsItsHistoryAndLastState()
    {
        _time.Advance(TimeSpan.FromMinutes(1));
        await _store.DeleteAsync(Id, 1, new ChangeContext(new ChangeActor("admin@citytwin.local", ActorKind.User), "Delete", "Duplicate record"));

        Assert.Null(await _store.FindAsync(Id));
        Assert.Contains(await _history.ForAssetAsync(Id), h => h.Operation == "Delete" && h.Reason == "Duplicate record");
        Assert.Equal("Horse chestnut on Mill Lane", (await _history.AsOfAsync(Id, _time.GetUtcNow().AddSeconds(-30)))!.Name);
        await using var context = await _db.Factory.CreateDbContextAsync();
        Assert.Equal(0, await context.AssetLinks.CountAsync());
    }

    [Fact]
    public async Task UpdateMany_IsAllOrNothing()
    {
        await _store.CreateAsync(AssetMapperTests.Sample("s-2"), new ChangeContext(ChangeActor.System("test"), "Create"));
        await _store.CreateAsync(AssetMapperTests.Sample("s-3"), new ChangeContext(ChangeActor.System("test"), "Create"));
        await _store.UpdateAsync("urn:ngsi-ld:Tree:s-3", 1, a => a.Rename("moved on"), new ChangeContext(Curator, "Update"));

        await Assert.ThrowsAsync<AssetConcurrencyException>(() => _store.UpdateManyAsync(
            [(Id, 1), ("urn:ngsi-ld:Tree:s-2", 1), ("urn:ngsi-ld:Tree:s-3", 1)],
            a => a.AssignTo("Parks", "NP"), new ChangeContext(Curator, "BulkEdit", null, "batch-1")));
        Assert.Equal("OT", (await _store.FindAsync(Id))!.DistrictCode);

        var results = await _store.UpdateManyAsync([(Id, 1), ("urn:ngsi-ld:Tree:s-2", 1)], a => a.AssignTo("Parks", "NP"),
            new ChangeContext(Curator, "BulkEdit", "Boundary change", "batch-2"));
        Assert.Equal(2, results.Count);
        Assert.Equal("NP", (await _store.FindAsync("urn:ngsi-ld:Tree:s-2"))!.DistrictCode);
        var (entries, _) = await _history.LogAsync(new ChangeLogFilter(Operation: "BulkEdit"));
        Assert.All(entries, e => Assert.Equal("batch-2", e.BatchId));
        Assert.Equal(4, entries.Count); // department and district, for two assets
    }

    [Fact]
    public async Task Create_WithAnExistingId_IsRefused() =>
        await Assert.ThrowsAsync<DomainException>(() => _store.CreateAsync(AssetMapperTests.Sample("s-1"), new ChangeContext(Curator, "Create")));

    [Fact]
    public async Task Reason_TooLongOrWithControlCharacters_IsRefused()
    {
        await Assert.ThrowsAsync<DomainException>(() => _store.UpdateAsync(Id, 1, a => a.Rename("x"), new ChangeContext(Curator, "Update", new string('r', 1001))));
        await Assert.ThrowsAsync<DomainException>(() => _store.UpdateAsync(Id, 1, a => a.Rename("x"), new ChangeContext(Curator, "Update", "bell\u0007")));
    }

    [Fact]
    public async Task HostileText_IsStoredVerbatimInRowAndHistory()
    {
        const string hostile = "=HYPERLINK(\"http://evil\") <script>alert(1)</script> '; DROP TABLE Assets; --";
        await _store.UpdateAsync(Id, 1, a => a.Describe(hostile, null), new ChangeContext(Curator, "Update", hostile));
        Assert.Equal(hostile, (await _store.FindAsync(Id))!.Description);
        Assert.Contains(await _history.ForAssetAsync(Id), h => h.To == hostile && h.Reason == hostile);
    }
}
