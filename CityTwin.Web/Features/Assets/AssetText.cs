using CityTwin.Domain.Assets;

namespace CityTwin.Web.Features.Assets;

/// <summary>Plain-language labels for stored codes (statuses, types) in the staff UI.</summary>
public static class AssetText
{
    public static string Status(string stored) => Enum.TryParse<AssetStatus>(stored, out var s) ? Status(s) : stored;

    public static string Status(AssetStatus status) => status switch
    {
        AssetStatus.Planned => "Planned",
        AssetStatus.Active => "Active",
        AssetStatus.UnderMaintenance => "Under maintenance",
        AssetStatus.OutOfService => "Out of service",
        AssetStatus.Decommissioned => "Decommissioned",
        _ => status.ToString(),
    };

    public static string Type(string typeName) => AssetTypeCatalog.Find(typeName)?.Label ?? typeName;
}
