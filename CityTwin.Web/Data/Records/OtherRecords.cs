namespace CityTwin.Web.Data.Records;

public sealed class DistrictRecord
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public int Population { get; set; }

    /// <summary>GeoJSON Polygon.</summary>
    public string Boundary { get; set; } = "";

    public double MinLon { get; set; }
    public double MinLat { get; set; }
    public double MaxLon { get; set; }
    public double MaxLat { get; set; }
}

/// <summary>A time series: one quantity measured by one sensor (or about one asset).</summary>
public sealed class ObservationSeriesRecord
{
    public int Id { get; set; }
    public string SourceId { get; set; } = "";
    public string Quantity { get; set; } = "";
    public string UnitCode { get; set; } = "";
}

/// <summary>One measurement (table <c>Observations</c>), keyed by series and time (Unix seconds, UTC).</summary>
public sealed class ObservationRecord
{
    public int SeriesId { get; set; }
    public long ObservedAt { get; set; }
    public double Value { get; set; }
}

public sealed class KpiDefinitionRecord
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string Unit { get; set; } = "";
    public double Target { get; set; }
    public string Direction { get; set; } = "";
    public string Period { get; set; } = "";
    public bool IsPublic { get; set; }
    public bool ByDistrict { get; set; }
    public bool ByAssetType { get; set; }
    public double Tolerance { get; set; }
}

public sealed class RenewalBudgetRecord
{
    public int Id { get; set; }
    public int Year { get; set; }
    public string? AssetType { get; set; }
    public double Amount { get; set; }
}

/// <summary>An API key for machine clients; only a SHA-256 hash of the secret is stored.</summary>
public sealed class ApiKeyRecord
{
    public int Id { get; set; }
    public string Name { get; set; } = "";

    /// <summary>First characters of the token, shown to tell keys apart.</summary>
    public string Prefix { get; set; } = "";

    public string Hash { get; set; } = "";
    public string Scope { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>Audit of security-relevant acts: sign-ins, failed sign-ins, admin changes to users and keys.</summary>
public sealed class SecurityEventRecord
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string Kind { get; set; } = "";
    public string Actor { get; set; } = "";
    public string? Subject { get; set; }
    public string? Detail { get; set; }
}
