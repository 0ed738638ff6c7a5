using CityTwin.Domain.Geography;

namespace CityTwin.Web.Features.Assets;

/// <summary>One row of an asset list or search result.</summary>
public sealed record AssetSummary(string Id, string Type, string Name, string Status, int? Condition, string? DistrictCode,
    string? Address, string Publication, string? Geometry);

/// <summary>Count of assets of one type, by status.</summary>
public sealed record TypeCount(string Type, string Label, int Total, int Active, int NeedsAttention, int PoorCondition, double? AverageCondition);

public sealed record RegistryOverview(int TotalAssets, int Decommissioned, int Sensors, long Observations, IReadOnlyList<TypeCount> ByType,
    IReadOnlyList<DistrictSummary> Districts, double GoodConditionShare);

public sealed record DistrictSummary(string Code, string Name, int Population, int Assets, string Boundary);

/// <summary>A spatial and/or text query over assets. <see cref="PublicOnly"/> restricts to published assets.</summary>
public sealed record AssetSearch(GeoBounds? Bounds = null, string? Text = null, string? Type = null, bool PublicOnly = true, int Limit = 1000);
