namespace CityTwin.Domain.Assets;

/// <summary>
/// An asset type: its NGSI-LD type name (the Smart Data Models term where one exists), expanded IRI, display names,
/// the SDM subject it comes from, a default expected service life (0: none) and its type-specific attribute definitions.
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
    /// <summary>The publication class a new asset of this type starts with (critical infrastructure starts internal).</summary>
    public PublicationClass DefaultPublication { get; init; } = PublicationClass.Public;

    public AttributeDefinition? FindAttribute(string termOrIri) =>
        Attributes.FirstOrDefault(a => a.Term == termOrIri || a.Iri == termOrIri);

    /// <summary>
    /// A type outside the catalogue, written by another system through the NGSI-LD API (ADR 0010): named by its
    /// expanded IRI, no attribute definitions, no lifecycle defaults; its entities keep every attribute as given.
    /// </summary>
    public bool IsGeneric => Category == AssetCategory.Other;

    /// <summary>The generic type of an entity type IRI that is not in the catalogue.</summary>
    public static AssetType Generic(string iri)
    {
        if (!Uri.TryCreate(iri, UriKind.Absolute, out _))
        {
            throw new DomainException("type", $"Entity type '{iri}' is not an absolute IRI.");
        }

        var local = iri[(iri.LastIndexOfAny(['#', '/', ':']) + 1)..];
        var label = local.Length > 0 ? local : iri;
        return new AssetType(iri, iri, label, label, null, AssetCategory.Other, 0, []);
    }

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

    /// <summary>Types outside the catalogue (<see cref="AssetType.Generic"/>).</summary>
    Other,
}
