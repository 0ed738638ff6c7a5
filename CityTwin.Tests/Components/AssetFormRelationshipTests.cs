using CityTwin.Domain;
using CityTwin.Domain.Assets;
using CityTwin.Web.Features.Registry;

namespace CityTwin.Tests.Components;

/// <summary>
/// Relationship fields of the edit form: a list relationship (a cabinet feeds several street light groups) keeps every
/// target through an edit, targets can be added and removed one by one, and a single relationship takes one target.
/// </summary>
public sealed class AssetFormRelationshipTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
    private static readonly string Groups = AssetTypeCatalog.StreetlightControlCabinet.FindAttribute("refStreetlightGroup")!.Iri;
    private static readonly string Cabinet = AssetTypeCatalog.StreetlightGroup.FindAttribute("refStreetlightControlCabinet")!.Iri;
    private static readonly string Key = AssetForm.RelationshipPrefix + Groups;

    private static Asset CabinetFeeding(params string[] groups)
    {
        var asset = Asset.Create(new AssetId("urn:ngsi-ld:StreetlightControlCabinet:rel-1"), AssetTypeCatalog.StreetlightControlCabinet, "Cabinet on the quay", Now);
        foreach (var g in groups)
        {
            asset.LinkTo(Groups, new AssetId("urn:ngsi-ld:StreetlightGroup:" + g));
        }

        return asset;
    }

    private static string[] Targets(Asset asset) =>
        asset.Relationships.Where(r => r.Iri == Groups).Select(r => r.Target.Value["urn:ngsi-ld:StreetlightGroup:".Length..]).Order().ToArray();

    [Fact]
    public void EditingACabinet_KeepsEveryGroupItFeeds()
    {
        var asset = CabinetFeeding("g1", "g2", "g3");
        var form = AssetForm.From(asset);
        Assert.Equal(3, form.Targets(Key).Count);

        form["description"] = "Repainted";
        form.ApplyTo(asset, Today);
        Assert.Equal(["g1", "g2", "g3"], Targets(asset));
        Assert.Equal("Repainted", asset.Description);
    }

    [Fact]
    public void TargetsAreAddedAndRemovedOneByOne()
    {
        var asset = CabinetFeeding("g1", "g2", "g3");
        var form = AssetForm.From(asset);
        form.SetTargets(Key, form.Targets(Key).Where(t => !t.EndsWith(":g2", StringComparison.Ordinal)).Append("urn:ngsi-ld:StreetlightGroup:g4"));
        Assert.Null(form.Validate(Key));
        form.ApplyTo(asset, Today);
        Assert.Equal(["g1", "g3", "g4"], Targets(asset));

        var cleared = AssetForm.From(asset);
        cleared.SetTargets(Key, []);
        Assert.Null(cleared[Key]);
        cleared.ApplyTo(asset, Today);
        Assert.Empty(Targets(asset));
    }

    [Fact]
    public void ASingleRelationship_TakesOneTarget_AndEveryTargetMustBeAnId()
    {
        var group = Asset.Create(new AssetId("urn:ngsi-ld:StreetlightGroup:rel-2"), AssetTypeCatalog.StreetlightGroup, "Quay circuit", Now);
        var form = AssetForm.From(group);
        var key = AssetForm.RelationshipPrefix + Cabinet;
        form.SetTargets(key, ["urn:ngsi-ld:StreetlightControlCabinet:c1", "urn:ngsi-ld:StreetlightControlCabinet:c2"]);
        Assert.Contains("one asset only", form.Validate(key), StringComparison.Ordinal);
        Assert.Throws<DomainException>(() => form.ApplyTo(group, Today));

        form.SetTargets(key, ["not an id"]);
        Assert.NotNull(form.Validate(key));

        form.SetTargets(key, ["urn:ngsi-ld:StreetlightControlCabinet:c2"]);
        Assert.Null(form.Validate(key));
        form.ApplyTo(group, Today);
        Assert.Equal("urn:ngsi-ld:StreetlightControlCabinet:c2", Assert.Single(group.Relationships).Target.Value);
    }

    [Fact]
    public void RelationshipsName_TheTypeOfTheirTargets()
    {
        Assert.Equal("StreetlightGroup", AssetTypeCatalog.StreetlightControlCabinet.FindAttribute("refStreetlightGroup")!.TargetType);
        Assert.Equal("StreetlightControlCabinet", AssetTypeCatalog.StreetlightGroup.FindAttribute("refStreetlightControlCabinet")!.TargetType);
        Assert.Null(AssetTypeCatalog.Device.FindAttribute("controlledAsset")!.TargetType);
        foreach (var def in AssetTypeCatalog.All.SelectMany(t => t.Attributes).Where(a => a.TargetType is not null))
        {
            Assert.NotNull(AssetTypeCatalog.Find(def.TargetType!));
        }
    }
}
