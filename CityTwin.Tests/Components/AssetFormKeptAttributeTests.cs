using CityTwin.Domain.Assets;
using CityTwin.Web.Features.Registry;

namespace CityTwin.Tests.Components;

/// <summary>
/// An attribute kept whole from the NGSI-LD API (ADR 0011) in the curator's form: shown by its value, kept as it is when
/// the curator leaves it, replaced by the registry's typed value when the curator edits it.
/// </summary>
public sealed class AssetFormKeptAttributeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private static readonly string LanternHeight = AssetTypeCatalog.Streetlight.FindAttribute("lanternHeight")!.Iri;
    private const string Kept = """{"type":"Property","value":10,"observedAt":"2026-11-01T08:00:00Z","createdAt":"2026-11-01T08:00:00.000Z","modifiedAt":"2026-11-01T08:00:00.000Z"}""";

    private static Asset Streetlight()
    {
        var asset = Asset.Create(new AssetId("urn:ngsi-ld:Streetlight:form-kept-1"), AssetTypeCatalog.Streetlight, "Lamp on the quay", Now);
        asset.SetAttribute(LanternHeight, AttributeValue.OfNgsi(Kept));
        return asset;
    }

    [Fact]
    public void AKeptAttribute_ShowsItsValue_AndStaysAsItIsWhenLeft()
    {
        var asset = Streetlight();
        var form = AssetForm.From(asset);
        Assert.Equal("10", form[AssetForm.AttributePrefix + LanternHeight]);
        Assert.Null(form.Validate(AssetForm.AttributePrefix + LanternHeight));
        Assert.Empty(form.ValidateAll());

        form["description"] = "Checked on the quay";
        form.ApplyTo(asset, DateOnly.FromDateTime(Now.UtcDateTime));
        Assert.Equal(AttributeDataType.Ngsi, asset.Attributes[LanternHeight].Type);
        Assert.Equal(Kept, asset.Attributes[LanternHeight].Text);
        Assert.Equal("Checked on the quay", asset.Description);
    }

    [Fact]
    public void AKeptAttribute_EditedByTheCurator_BecomesTheRegistrysTypedValue()
    {
        var asset = Streetlight();
        var form = AssetForm.From(asset);
        form[AssetForm.AttributePrefix + LanternHeight] = "12.5";
        Assert.Null(form.Validate(AssetForm.AttributePrefix + LanternHeight));
        form.ApplyTo(asset, DateOnly.FromDateTime(Now.UtcDateTime));
        Assert.Equal(AttributeDataType.Number, asset.Attributes[LanternHeight].Type);
        Assert.Equal(12.5, asset.Attributes[LanternHeight].Number);
        Assert.Equal("MTR", asset.Attributes[LanternHeight].UnitCode);

        var bad = AssetForm.From(Streetlight());
        bad[AssetForm.AttributePrefix + LanternHeight] = "99";
        Assert.NotNull(bad.Validate(AssetForm.AttributePrefix + LanternHeight)); // 1–40 m, as for any edit
    }

    [Theory]
    [InlineData("""[{"type":"Property","value":"a","datasetId":"urn:x"},{"type":"Property","value":"b"}]""", "b")]
    [InlineData("""{"type":"Property","value":{"@type":"DateTime","@value":"2026-11-01T08:00:00Z"}}""", "2026-11-01T08:00:00Z")]
    [InlineData("""{"type":"ListProperty","valueList":["LED","HPS"]}""", "LED, HPS")]
    [InlineData("""{"type":"Relationship","object":"urn:ngsi-ld:StreetlightGroup:g1"}""", "urn:ngsi-ld:StreetlightGroup:g1")]
    public void KeptText_IsTheDefaultInstancesValue(string json, string expected) =>
        Assert.Equal(expected, AssetForm.KeptText(AttributeValue.OfNgsi(json)));
}
