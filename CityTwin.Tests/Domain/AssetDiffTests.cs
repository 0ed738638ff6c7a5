using CityTwin.Domain.Assets;
using CityTwin.Domain.Geography;
using CityTwin.Domain.History;

namespace CityTwin.Tests.Domain;

public sealed class AssetDiffTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 11, 27);

    [Fact]
    public void Compare_SameState_HasNoChanges()
    {
        var asset = Asset.Create(AssetId.For("Tree", "d1"), AssetTypeCatalog.Tree, "Oak", Now);
        Assert.Empty(AssetDiff.Compare(asset.ToState(), asset.ToState()));
    }

    [Fact]
    public void Compare_ListsEachChangedFieldWithFromAndTo()
    {
        var asset = Asset.Create(AssetId.For("Tree", "d1"), AssetTypeCatalog.Tree, "Oak", Now);
        asset.SetAttribute("species", AttributeValue.OfText("Quercus robur"));
        var before = asset.ToState();

        asset.Rename("Old oak");
        asset.RecordInspection(2, Today, Today);
        asset.SetAttribute("species", AttributeValue.OfText("Quercus petraea"));
        asset.SetAttribute("trunkDiameter", AttributeValue.OfNumber(80));
        asset.Locate(AssetGeometry.Point(4.5, 50.9));
        asset.LinkTo("https://example.org/ns/near", AssetId.For("Building", "b"));
        asset.PublishAttribute("species", PublicationClass.Internal);

        var changes = AssetDiff.Compare(before, asset.ToState()).ToDictionary(c => c.Field);

        Assert.Equal(new FieldChange("name", "Oak", "Old oak"), changes["name"]);
        Assert.Equal(new FieldChange("condition", null, "2"), changes["condition"]);
        Assert.Equal("2026-11-27", changes["inspectedOn"].To);
        Assert.Equal(("Quercus robur", "Quercus petraea"), (changes["https://w3id.org/citytwin/species"].From, changes["https://w3id.org/citytwin/species"].To));
        Assert.Equal("80 CMT", changes["https://w3id.org/citytwin/trunkDiameter"].To);
        Assert.Equal("Point 4.5 50.9", changes["geometry"].To);
        Assert.Equal("urn:ngsi-ld:Building:b", changes[AssetDiff.RelationshipPrefix + "https://example.org/ns/near"].To);
        Assert.Equal("Internal", changes[AssetDiff.PublicationPrefix + "https://w3id.org/citytwin/species"].To);
        Assert.Equal(8, changes.Count);
    }
}
