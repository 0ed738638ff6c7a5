namespace CityTwin.Web.Data.Records;

/// <summary>
/// The persisted shape of an asset (table <c>Assets</c>): typed columns for what lists, filters and KPIs use, a
/// bounding box feeding the R*Tree, and JSON documents for type-specific attributes keyed by expanded IRI.
/// Built from and turned back into the domain aggregate by <see cref="AssetMapper"/>.
/// </summary>
public sealed class AssetRecord : IRegistryColumns
{
    /// <summary>Stable integer surrogate (SQLite rowid alias): the key of the R*Tree and full-text rows.</summary>
    public long Seq { get; set; }

    public string Id { get; set; } = "";
    public string Type { get; set; } = "";
    public string TypeIri { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string Status { get; set; } = "";
    public string? StatusBeforeDecommission { get; set; }
    public DateOnly? DecommissionedOn { get; set; }
    public int? Condition { get; set; }
    public DateOnly? InspectedOn { get; set; }
    public DateOnly? InstalledOn { get; set; }
    public int? ExpectedLifeYears { get; set; }
    public double? ReplacementCost { get; set; }
    public int Criticality { get; set; }
    public string? Department { get; set; }
    public string? DistrictCode { get; set; }
    public string? Address { get; set; }

    /// <summary>GeoJSON geometry object (WGS 84, lon/lat).</summary>
    public string? Geometry { get; set; }

    public double? MinLon { get; set; }
    public double? MinLat { get; set; }
    public double? MaxLon { get; set; }
    public double? MaxLat { get; set; }

    public string Publication { get; set; } = "";

    /// <summary>JSON object: attribute IRI → { "type": …, "value": …, "unitCode": … }.</summary>
    public string Attributes { get; set; } = "{}";

    /// <summary>JSON object: attribute IRI → publication class, only where it differs from the default.</summary>
    public string AttributePublication { get; set; } = "{}";

    /// <summary>Extra words for full-text search (type label, selected attribute texts).</summary>
    public string? SearchText { get; set; }

    public string? SourceSystem { get; set; }
    public string? SourceReference { get; set; }
    public DateTimeOffset? RecordedAt { get; set; }
    public string? RecordedBy { get; set; }

    /// <summary>Optimistic concurrency token.</summary>
    public long Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ModifiedAt { get; set; }

    public List<AssetLinkRecord> Links { get; set; } = [];
}

/// <summary>One relationship from an asset to another (table <c>AssetLinks</c>), indexed both ways.</summary>
public sealed class AssetLinkRecord
{
    public string AssetId { get; set; } = "";
    public string Iri { get; set; } = "";
    public string TargetId { get; set; } = "";
}

/// <summary>The columns the registry list filters on, held by current rows and by past versions (the "as of" list).</summary>
public interface IRegistryColumns
{
    string Type { get; }
    string Status { get; }
    int? Condition { get; }
    string? DistrictCode { get; }
    string Publication { get; }
    DateOnly? InstalledOn { get; }
}
