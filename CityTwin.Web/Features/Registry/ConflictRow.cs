namespace CityTwin.Web.Features.Registry;

/// <summary>One field that differs between my edit and the version saved meanwhile, with the curator's choice.</summary>
public sealed class ConflictRow
{
    public required string Key { get; init; }
    public string? Mine { get; init; }
    public string? Theirs { get; init; }

    /// <summary>Default: keep mine where I changed the field, else take theirs.</summary>
    public bool KeepMine { get; set; }

    /// <summary>Every field where my form and their saved version differ.</summary>
    public static List<ConflictRow> Build(AssetForm baseline, AssetForm mine, AssetForm theirs)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(mine);
        ArgumentNullException.ThrowIfNull(theirs);
        return [.. mine.Values.Keys.Union(theirs.Values.Keys)
            .Where(k => mine[k] != theirs[k])
            .Order(StringComparer.Ordinal)
            .Select(k => new ConflictRow { Key = k, Mine = mine[k], Theirs = theirs[k], KeepMine = mine[k] != baseline[k] })];
    }

    /// <summary>Their saved version with my chosen values on top.</summary>
    public static AssetForm Merge(AssetForm mine, AssetForm theirs, IEnumerable<ConflictRow> rows)
    {
        ArgumentNullException.ThrowIfNull(mine);
        ArgumentNullException.ThrowIfNull(theirs);
        ArgumentNullException.ThrowIfNull(rows);
        var merged = theirs.Clone();
        foreach (var row in rows.Where(r => r.KeepMine))
        {
            merged[row.Key] = mine[row.Key];
        }

        return merged;
    }
}
