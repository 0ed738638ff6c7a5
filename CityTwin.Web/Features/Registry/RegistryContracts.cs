using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace CityTwin.Web.Features.Registry;

/// <summary>
/// Filters of the registry list. Kept in the page URL (<see cref="ToQuery"/> / <see cref="FromQuery"/>) so a view can
/// be bookmarked and shared.
/// </summary>
public sealed record RegistryFilter
{
    public string? Type { get; init; }
    public string? District { get; init; }
    public string? Status { get; init; }
    public int? ConditionMin { get; init; }
    public int? ConditionMax { get; init; }
    public int? InstalledFrom { get; init; }
    public int? InstalledTo { get; init; }
    public string? Publication { get; init; }
    public string? Text { get; init; }
    public bool IncludeDecommissioned { get; init; }

    /// <summary>A data-quality issue (drill-down from the data-quality view).</summary>
    public CityTwin.Domain.Assets.QualityIssue? Issue { get; init; }

    /// <summary>Show the registry as it was at the end of this day (UTC).</summary>
    public DateOnly? AsOf { get; init; }

    public static RegistryFilter Empty { get; } = new();

    public bool IsEmpty => this == Empty;

    public IReadOnlyDictionary<string, string?> ToQuery() => new Dictionary<string, string?>
    {
        ["type"] = Type,
        ["district"] = District,
        ["status"] = Status,
        ["cmin"] = ConditionMin?.ToString(CultureInfo.InvariantCulture),
        ["cmax"] = ConditionMax?.ToString(CultureInfo.InvariantCulture),
        ["yfrom"] = InstalledFrom?.ToString(CultureInfo.InvariantCulture),
        ["yto"] = InstalledTo?.ToString(CultureInfo.InvariantCulture),
        ["pub"] = Publication,
        ["q"] = Text,
        ["decommissioned"] = IncludeDecommissioned ? "1" : null,
        ["issue"] = Issue?.ToString(),
        ["asof"] = AsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    /// <summary>"/staff/registry?type=Tree&amp;…" with only the filters that are set.</summary>
    public string ToUrl(string path = "/staff/registry") =>
        QueryHelpers.AddQueryString(path, ToQuery().Where(p => !string.IsNullOrEmpty(p.Value)));

    /// <summary>Reads filters from query values; values that do not parse are ignored, never an error page.</summary>
    public static RegistryFilter FromQuery(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        return new RegistryFilter
        {
            Type = Clean(get("type")),
            District = Clean(get("district")),
            Status = Clean(get("status")),
            ConditionMin = Int(get("cmin"), 1, 5),
            ConditionMax = Int(get("cmax"), 1, 5),
            InstalledFrom = Int(get("yfrom"), 1800, 2200),
            InstalledTo = Int(get("yto"), 1800, 2200),
            Publication = Clean(get("pub")),
            Text = Clean(get("q"), 200),
            IncludeDecommissioned = get("decommissioned") is "1" or "true",
            Issue = Enum.TryParse<CityTwin.Domain.Assets.QualityIssue>(get("issue"), out var issue) && Enum.IsDefined(issue) ? issue : null,
            AsOf = DateOnly.TryParseExact(get("asof"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null,
        };
    }

    private static string? Clean(string? value, int max = 100) =>
        string.IsNullOrWhiteSpace(value) ? null : new string([.. value.Trim().Take(max).Where(c => !char.IsControl(c))]);

    private static int? Int(string? value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= min && i <= max ? i : null;
}

public sealed record RegistrySort(string Column = "name", bool Descending = false)
{
    public static IReadOnlyList<string> Columns { get; } = ["name", "type", "status", "condition", "district", "installedOn", "inspectedOn", "replacementCost", "modifiedAt"];
}

public sealed record RegistryRow(string Id, string Type, string Name, string Status, int? Condition, DateOnly? InspectedOn, DateOnly? InstalledOn,
    string? District, string? Department, string? Address, string Publication, double? ReplacementCost, DateTimeOffset? ModifiedAt, long Version);

public sealed record RegistryResult(IReadOnlyList<RegistryRow> Rows, int Total)
{
    /// <summary>Filters of the request this view cannot apply (the "as of" view has past versions' core fields only), to say so on the page.</summary>
    public IReadOnlyList<string> NotApplied { get; init; } = [];
}
