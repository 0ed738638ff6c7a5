namespace CityTwin.Domain.Assets;

/// <summary>
/// An asset type: its NGSI-LD type name (the Smart Data Models term where one exists), expanded IRI, display names,
/// the SDM subject it comes from, a default expected service life and its type-specific attribute definitions.
/// </summary>
public sealed record AssetType(
    string Name,
    string Iri,
    string Label,
    string PluralLabel,
    string? SdmSubject,
    AssetCategory Category,
    int DefaultExpectedLifeYears,
    IReadOnlyList<AttributeDefinition> Attributes)
{
    public AttributeDefinition? FindAttribute(string termOrIri) =>
        Attributes.FirstOrDefault(a => a.Term == termOrIri || a.Iri == termOrIri);

    public override string ToString() => Name;
}

public enum AssetCategory
{
    Lighting,
    Buildings,
    Waste,
    Mobility,
    GreenSpace,
    Amenities,
    Sensors,
}
