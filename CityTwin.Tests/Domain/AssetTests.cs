using CityTwin.Domain;
using CityTwin.Domain.Assets;
using CityTwin.Domain.Geography;

namespace CityTwin.Tests.Domain;

public sealed class AssetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 11, 27);

    private static Asset NewLight(string name = "Street light Mill Lane 1") =>
        Asset.Create(AssetId.For("Streetlight", "t-1"), AssetTypeCatalog.Streetlight, name, Now);

    [Fact]
    public void Create_WithValidInput_StartsActivePublicVersionOneWithTypeLife()
    {
        var asset = NewLight();

        Assert.Equal(AssetStatus.Active, asset.Status);
        Assert.Equal(PublicationClass.Public, asset.Publication);
        Assert.Equal(1, asset.Version);
        Assert.Equal(AssetTypeCatalog.Streetlight.DefaultExpectedLifeYears, asset.ExpectedLifeYears);
        Assert.Equal(Asset.DefaultCriticality, asset.Criticality);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_WithBlankName_IsRefusedNamingTheField(string name)
    {
        var ex = Assert.Throws<DomainException>(() => NewLight(name));
        Assert.Equal("name", ex.Field);
    }

    [Fact]
    public void Create_WithControlCharacterInName_IsRefused()
    {
        var ex = Assert.Throws<DomainException>(() => NewLight("Lamp\u0007bell"));
        Assert.Contains("control character", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithOverlongName_IsRefusedWithTheLimit()
    {
        var ex = Assert.Throws<DomainException>(() => NewLight(new string('x', Asset.MaxNameLength + 1)));
        Assert.Contains(Asset.MaxNameLength.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithHtmlAndSqlInName_KeepsTheTextAsIs()
    {
        const string hostile = "<script>alert(1)</script>'; DROP TABLE Assets; --";
        Assert.Equal(hostile, NewLight(hostile).Name);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-3)]
    public void RecordInspection_WithConditionOutsideOneToFive_IsRefused(int condition)
    {
        var asset = NewLight();
        var ex = Assert.Throws<DomainException>(() => asset.RecordInspection(condition, Today, Today));
        Assert.Equal("condition", ex.Field);
        Assert.Null(asset.Condition);
    }

    [Fact]
    public void RecordInspection_InTheFuture_IsRefused()
    {
        var asset = NewLight();
        var ex = Assert.Throws<DomainException>(() => asset.RecordInspection(3, Today.AddDays(1), Today));
        Assert.Equal("inspectedOn", ex.Field);
    }

    [Fact]
    public void RecordInspection_BeforeInstallation_IsRefused()
    {
        var asset = NewLight();
        asset.SetLifecycle(new DateOnly(2020, 5, 1), 30, 3000m, 3, Today);
        Assert.Throws<DomainException>(() => asset.RecordInspection(4, new DateOnly(2019, 1, 1), Today));
    }

    [Fact]
    public void RecordInspection_Valid_SetsConditionAndDate()
    {
        var asset = NewLight();
        asset.RecordInspection(4, Today.AddDays(-10), Today);
        Assert.Equal(4, asset.Condition);
        Assert.Equal(Today.AddDays(-10), asset.InspectedOn);
        Assert.False(asset.IsInspectionStale(Today, 3));
        Assert.True(asset.IsInspectionStale(Today.AddYears(4), 3));
    }

    [Fact]
    public void SetLifecycle_FutureInstallation_OnlyForPlannedAssets()
    {
        var asset = NewLight();
        Assert.Throws<DomainException>(() => asset.SetLifecycle(Today.AddDays(30), 30, null, 3, Today));

        asset.ChangeStatus(AssetStatus.Planned);
        asset.SetLifecycle(Today.AddDays(30), 30, null, 3, Today);
        Assert.Equal(Today.AddDays(30), asset.InstalledOn);
    }

    [Fact]
    public void SetLifecycle_NegativeCostOrBadCriticality_IsRefused()
    {
        var asset = NewLight();
        Assert.Equal("replacementCost", Assert.Throws<DomainException>(() => asset.SetLifecycle(null, 30, -1m, 3, Today)).Field);
        Assert.Equal("criticality", Assert.Throws<DomainException>(() => asset.SetLifecycle(null, 30, 10m, 9, Today)).Field);
        Assert.Equal("expectedLifeYears", Assert.Throws<DomainException>(() => asset.SetLifecycle(null, 0, 10m, 3, Today)).Field);
    }

    [Fact]
    public void AgeAndRemainingLife_AreComputedFromInstallationDate()
    {
        var asset = NewLight();
        asset.SetLifecycle(new DateOnly(2000, 12, 1), 30, 3000m, 3, Today);
        Assert.Equal(25, asset.AgeInYears(Today));
        Assert.Equal(5, asset.RemainingLifeYears(Today));
    }

    [Fact]
    public void ChangeStatus_ToDecommissioned_IsRefusedInFavourOfDecommission()
    {
        var asset = NewLight();
        var ex = Assert.Throws<DomainException>(() => asset.ChangeStatus(AssetStatus.Decommissioned));
        Assert.Contains("Decommission", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decommission_ThenRestore_ReturnsToThePreviousStatus()
    {
        var asset = NewLight();
        asset.ChangeStatus(AssetStatus.UnderMaintenance);

        asset.Decommission(Today);
        Assert.True(asset.IsDecommissioned);
        Assert.Equal(AssetStatus.UnderMaintenance, asset.StatusBeforeDecommission);

        asset.Restore();
        Assert.Equal(AssetStatus.UnderMaintenance, asset.Status);
        Assert.Null(asset.DecommissionedOn);
    }

    [Fact]
    public void Decommissioned_Asset_CannotBeEdited()
    {
        var asset = NewLight();
        asset.Decommission(Today);
        Assert.Throws<DomainException>(() => asset.Rename("New name"));
        Assert.Throws<DomainException>(() => asset.RecordInspection(3, Today, Today));
        Assert.Throws<DomainException>(() => asset.Decommission(Today));
    }

    [Fact]
    public void Restore_WhenNotDecommissioned_IsRefused() =>
        Assert.Throws<DomainException>(() => NewLight().Restore());

    [Fact]
    public void SetAttribute_ByTerm_StoresUnderTheSdmIriWithTheDefinedUnit()
    {
        var asset = NewLight();
        asset.SetAttribute("lanternHeight", AttributeValue.OfNumber(8));

        var stored = asset.Attributes["https://smartdatamodels.org/dataModel.Streetlighting/lanternHeight"];
        Assert.Equal(8, stored.Number);
        Assert.Equal("MTR", stored.UnitCode);
    }

    [Fact]
    public void SetAttribute_OutOfRange_IsRefusedNamingTheAttributeAndRange()
    {
        var ex = Assert.Throws<DomainException>(() => NewLight().SetAttribute("lanternHeight", AttributeValue.OfNumber(400)));
        Assert.Equal("lanternHeight", ex.Field);
        Assert.Contains("between 1 and 40", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetAttribute_NotInEnumeration_IsRefusedListingTheValues()
    {
        var ex = Assert.Throws<DomainException>(() => NewLight().SetAttribute("lampTechnology", AttributeValue.OfText("Candle")));
        Assert.Contains("LED", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetAttribute_WrongType_IsRefused() =>
        Assert.Throws<DomainException>(() => NewLight().SetAttribute("lanternHeight", AttributeValue.OfText("tall")));

    [Fact]
    public void SetAttribute_UnknownTermThatIsNotAnIri_IsRefused() =>
        Assert.Throws<DomainException>(() => NewLight().SetAttribute("colour", AttributeValue.OfText("red")));

    [Fact]
    public void SetAttribute_UnknownIri_IsKeptAsAnOpenAttribute()
    {
        var asset = NewLight();
        asset.SetAttribute("https://example.org/ns/paintColour", AttributeValue.OfText("RAL 6009"));
        Assert.Equal("RAL 6009", asset.Attributes["https://example.org/ns/paintColour"].Text);
    }

    [Fact]
    public void SetAttribute_OnARelationshipTerm_IsRefused() =>
        Assert.Throws<DomainException>(() => NewLight().SetAttribute("refStreetlightGroup", AttributeValue.OfText("urn:x")));

    [Fact]
    public void LinkTo_Itself_IsRefused()
    {
        var asset = NewLight();
        Assert.Throws<DomainException>(() => asset.LinkTo("refStreetlightGroup", asset.Id));
    }

    [Fact]
    public void LinkTo_TwiceTheSameTarget_KeepsOneRelationship()
    {
        var asset = NewLight();
        var group = AssetId.For("StreetlightGroup", "g-1");
        asset.LinkTo("refStreetlightGroup", group);
        asset.LinkTo("refStreetlightGroup", group);
        Assert.Single(asset.Relationships);
        asset.Unlink("refStreetlightGroup", group);
        Assert.Empty(asset.Relationships);
    }

    [Fact]
    public void NewAssets_StartWithTheirTypesPublication_AndLifecycleFieldsHaveDefaultsToo()
    {
        Assert.Equal(PublicationClass.Internal, Asset.Create(AssetId.For("StreetlightControlCabinet", "c-1"), AssetTypeCatalog.StreetlightControlCabinet, "Cabinet", Now).Publication);
        var tree = Asset.Create(AssetId.For("Tree", "t-pub"), AssetTypeCatalog.Tree, "Oak", Now);
        Assert.Equal(PublicationClass.Public, tree.Publication);
        Assert.Equal(PublicationClass.Internal, tree.PublicationOf(CityTwin.Domain.Vocabulary.CityTwinTerms.Department));
        Assert.Equal(PublicationClass.Public, tree.PublicationOf(CityTwin.Domain.Vocabulary.CityTwinTerms.ReplacementCost));
        tree.PublishAttribute(CityTwin.Domain.Vocabulary.CityTwinTerms.ReplacementCost, PublicationClass.Internal);
        Assert.Equal(PublicationClass.Internal, tree.PublicationOf(CityTwin.Domain.Vocabulary.CityTwinTerms.ReplacementCost));
        Assert.Equal(PublicationClass.Internal, AssetTypeCatalog.StreetlightGroup.FindAttribute("circuitId")!.DefaultPublication);
    }

    [Fact]
    public void PublicationOf_IsNeverMorePublicThanTheAsset()
    {
        var sensor = Asset.Create(AssetId.For("Device", "s-1"), AssetTypeCatalog.Device, "Sensor", Now);
        var serial = AssetTypeCatalog.Device.FindAttribute("serialNumber")!.Iri;
        var battery = AssetTypeCatalog.Device.FindAttribute("batteryLevel")!.Iri;

        Assert.Equal(PublicationClass.Internal, sensor.PublicationOf(serial));
        Assert.Equal(PublicationClass.Public, sensor.PublicationOf(battery));

        sensor.PublishAttribute("batteryLevel", PublicationClass.Personal);
        Assert.Equal(PublicationClass.Personal, sensor.PublicationOf(battery));

        sensor.PublishAttribute("batteryLevel", PublicationClass.Public);
        sensor.Publish(PublicationClass.Internal);
        Assert.Equal(PublicationClass.Internal, sensor.PublicationOf(battery));
    }

    [Fact]
    public void ToState_ThenFromState_GivesAnEqualAsset()
    {
        var asset = NewLight();
        asset.SetLifecycle(new DateOnly(2010, 3, 4), 25, 3200m, 4, Today);
        asset.RecordInspection(3, new DateOnly(2024, 6, 1), Today);
        asset.SetAttribute("lanternHeight", AttributeValue.OfNumber(6));
        asset.LinkTo("refStreetlightGroup", AssetId.For("StreetlightGroup", "g"));
        asset.Locate(AssetGeometry.Point(4.47, 50.9));
        asset.AssignTo("Public Lighting", "OT");
        asset.Decommission(Today);

        var copy = Asset.FromState(asset.ToState());

        Assert.Equal(asset.ToState() with { Attributes = null!, AttributePublication = null!, Relationships = null! },
            copy.ToState() with { Attributes = null!, AttributePublication = null!, Relationships = null! });
        Assert.Equal(asset.Attributes, copy.Attributes);
        Assert.Equal(asset.Relationships, copy.Relationships);
    }

    [Fact]
    public void FromState_WithStoredConditionOutOfRange_IsRefused()
    {
        var state = NewLight().ToState() with { Condition = 9 };
        Assert.Throws<DomainException>(() => Asset.FromState(state));
    }

    [Fact]
    public void MarkChanged_BumpsVersionAndModificationTime()
    {
        var asset = NewLight();
        asset.MarkChanged(Now.AddHours(1));
        Assert.Equal(2, asset.Version);
        Assert.Equal(Now.AddHours(1), asset.ModifiedAt);
    }
}
