using CityTwin.Domain.Geography;

namespace CityTwin.Domain.Assets;

/// <summary>A link from one asset to another (NGSI-LD Relationship), named by the relationship's expanded IRI.</summary>
public sealed record AssetRelationship(string Iri, AssetId Target);

/// <summary>Where a record came from: source system, when and by whom it was recorded, and the source's own key.</summary>
public sealed record Provenance(string SourceSystem, DateTimeOffset RecordedAt, string RecordedBy, string? SourceReference = null);

/// <summary>
/// A full, plain snapshot of an asset: what persistence stores and history versions keep. Rebuild the aggregate
/// with <see cref="Asset.FromState"/>, which re-checks every rule.
/// </summary>
public sealed record AssetState
{
    public required AssetId Id { get; init; }
    public required string TypeName { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public AssetStatus Status { get; init; } = AssetStatus.Active;
    public AssetStatus? StatusBeforeDecommission { get; init; }
    public DateOnly? DecommissionedOn { get; init; }
    public int? Condition { get; init; }
    public DateOnly? InspectedOn { get; init; }
    public DateOnly? InstalledOn { get; init; }
    public int? ExpectedLifeYears { get; init; }
    public decimal? ReplacementCost { get; init; }
    public int Criticality { get; init; } = Asset.DefaultCriticality;
    public string? Department { get; init; }
    public string? DistrictCode { get; init; }
    public string? Address { get; init; }
    public AssetGeometry? Geometry { get; init; }
    public PublicationClass Publication { get; init; } = PublicationClass.Public;
    public IReadOnlyDictionary<string, PublicationClass> AttributePublication { get; init; } = new Dictionary<string, PublicationClass>();
    public IReadOnlyDictionary<string, AttributeValue> Attributes { get; init; } = new Dictionary<string, AttributeValue>();
    public IReadOnlyList<AssetRelationship> Relationships { get; init; } = [];
    public Provenance? Provenance { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ModifiedAt { get; init; }
}
