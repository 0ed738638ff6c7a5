namespace CityTwin.Domain.Assets;

/// <summary>Lifecycle status of an asset.</summary>
public enum AssetStatus
{
    Planned,
    Active,
    UnderMaintenance,
    OutOfService,

    /// <summary>Retired: kept with its history, hidden by default, restorable. Reached only through <see cref="Asset.Decommission"/>.</summary>
    Decommissioned,
}
