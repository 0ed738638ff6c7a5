namespace CityTwin.Web.Data.Records;

/// <summary>One field changed by one write (table <c>AssetChanges</c>, append-only).</summary>
public sealed class AssetChangeRecord
{
    public long Id { get; set; }
    public string AssetId { get; set; } = "";

    /// <summary>The asset's version after the write.</summary>
    public long Version { get; set; }

    public DateTimeOffset At { get; set; }
    public string Actor { get; set; } = "";
    public string ActorKind { get; set; } = "";

    /// <summary>Create, Update, Decommission, Restore, BulkEdit, Import, Api, Delete.</summary>
    public string Operation { get; set; } = "";

    public string Field { get; set; } = "";
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Reason { get; set; }

    /// <summary>Groups the changes of one bulk edit or import.</summary>
    public string? BatchId { get; set; }
}

/// <summary>
/// A closed past version of an asset (table <c>AssetVersions</c>): the full row as it was from <see cref="ValidFrom"/>
/// until <see cref="ValidTo"/>. The current row is valid from its ModifiedAt, so "as of T" is either the current row
/// or exactly one version row.
/// </summary>
public sealed class AssetVersionRecord
{
    public long Id { get; set; }
    public string AssetId { get; set; } = "";
    public long Version { get; set; }
    public DateTimeOffset ValidFrom { get; set; }
    public DateTimeOffset ValidTo { get; set; }

    /// <summary>The <see cref="AssetRecord"/> as JSON, links included.</summary>
    public string Snapshot { get; set; } = "";

    // Copies of the listed columns, so the registry list can be shown "as of" a date without parsing snapshots.
    public string Type { get; set; } = "";
    public string Name { get; set; } = "";
    public string Status { get; set; } = "";
    public int? Condition { get; set; }
    public string? DistrictCode { get; set; }
    public string Publication { get; set; } = "";
}
