using System.Text.Json.Serialization;

namespace CityTwin.Web.Features.Import;

[JsonConverter(typeof(JsonStringEnumConverter<ImportFormat>))]
public enum ImportFormat
{
    NgsiLd,
    GeoJson,
    Csv,
}

/// <summary>Format names of the import API and the guess from a file name (and, when given, the file's first bytes).</summary>
public static class ImportFormats
{
    public static bool TryParse(string? text, out ImportFormat format)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "ngsi-ld" or "ngsild" or "json-ld" or "jsonld" or "sdm":
                format = ImportFormat.NgsiLd;
                return true;
            case "geojson":
                format = ImportFormat.GeoJson;
                return true;
            case "csv":
                format = ImportFormat.Csv;
                return true;
            default:
                format = default;
                return false;
        }
    }

    /// <summary>
    /// .csv/.tsv/.txt → CSV, .geojson → GeoJSON, .json/.jsonld/.ndjson → NGSI-LD unless the content is a plain
    /// FeatureCollection (features with properties and no @context).
    /// </summary>
    public static bool TryGuess(string fileName, ReadOnlySpan<byte> content, out ImportFormat format)
    {
        switch (Path.GetExtension(fileName).ToLowerInvariant())
        {
            case ".csv" or ".tsv" or ".txt":
                format = ImportFormat.Csv;
                return true;
            case ".geojson":
                format = ImportFormat.GeoJson;
                return true;
            case ".json" or ".jsonld" or ".ndjson":
                format = content.IndexOf("FeatureCollection"u8) >= 0 && content.IndexOf("\"properties\""u8) >= 0 && content.IndexOf("\"@context\""u8) < 0
                    ? ImportFormat.GeoJson : ImportFormat.NgsiLd;
                return true;
            default:
                format = default;
                return false;
        }
    }
}

[JsonConverter(typeof(JsonStringEnumConverter<ImportMode>))]
public enum ImportMode
{
    DryRun,
    Commit,
}

[JsonConverter(typeof(JsonStringEnumConverter<ImportOutcome>))]
public enum ImportOutcome
{
    New,
    Updated,
    Unchanged,
    Rejected,
}

/// <summary>One column (or GeoJSON property) mapped to a registry field, an attribute term or a new attribute.</summary>
/// <param name="Column">The source column or property name.</param>
/// <param name="Target">A lifecycle field (<see cref="ImportTargets.Lifecycle"/>), an attribute or relationship term of
/// the asset type, <c>attr:term</c> for a new attribute in CityTwin's vocabulary, or <c>attributes</c> for a JSON object
/// of attributes (CityTwin's CSV export).</param>
/// <param name="Values">Optional translation of source values (e.g. "VACANT SITE" → "vacant"; the key "*" stands for any other value).</param>
/// <param name="EmptyAs">The value an empty cell stands for (e.g. "false" for X-flag columns); empty cells are skipped otherwise.</param>
public sealed record FieldMapping(string Column, string Target, IReadOnlyDictionary<string, string>? Values = null, string? EmptyAs = null);

/// <summary>How the rows of a GeoJSON or CSV file become assets. Saved by name and re-used.</summary>
public sealed record ImportMapping
{
    /// <summary>The asset type of every row (or use <see cref="TypeColumn"/>).</summary>
    public string? AssetType { get; init; }

    public string? TypeColumn { get; init; }

    /// <summary>A column holding full entity ids (<c>urn:ngsi-ld:…</c>).</summary>
    public string? IdColumn { get; init; }

    /// <summary>The merge key: a column whose value identifies a record in the source; the id becomes
    /// <c>urn:ngsi-ld:{type}:{IdPrefix}{key}</c>, so importing the same file again updates the same assets.</summary>
    public string? KeyColumn { get; init; }

    public string? IdPrefix { get; init; }

    /// <summary>The asset name: a template with <c>{column}</c> placeholders, or a plain column name.</summary>
    public string? NameTemplate { get; init; }

    public string? LongitudeColumn { get; init; }

    public string? LatitudeColumn { get; init; }

    /// <summary>A single "lat, lon" column.</summary>
    public string? LatLonColumn { get; init; }

    /// <summary>A column with WKT or GeoJSON geometry.</summary>
    public string? GeometryColumn { get; init; }

    public IReadOnlyList<FieldMapping> Fields { get; init; } = [];

    /// <summary>Values set on every row (target → value), e.g. a department.</summary>
    public IReadOnlyDictionary<string, string> Constants { get; init; } = new Dictionary<string, string>();
}

/// <summary>What to do with a file.</summary>
public sealed record ImportRequest
{
    public required ImportFormat Format { get; init; }

    public ImportMode Mode { get; init; } = ImportMode.DryRun;

    public string FileName { get; init; } = "upload";

    /// <summary>For NGSI-LD: the asset type expected (others are rejected); for tabular files the mapping's default.</summary>
    public string? AssetType { get; init; }

    public ImportMapping? Mapping { get; init; }

    /// <summary>The CRS of the coordinates (EPSG code); default: the file's own declaration, else WGS 84.</summary>
    public string? SourceCrs { get; init; }

    /// <summary>For plain JSON NGSI-LD: the context of a Link header (or chosen by the user).</summary>
    public string? ContextUrl { get; init; }

    /// <summary>Commit nothing when any row is rejected (default: commit the accepted rows).</summary>
    public bool AllOrNothing { get; init; }

    /// <summary>Accept points outside the city's extent (reported as warnings instead of rejections).</summary>
    public bool AllowOutsideExtent { get; init; }

    /// <summary>Validate entities of Smart Data Models types against the official JSON Schema.</summary>
    public bool ValidateSchemas { get; init; } = true;
}

/// <summary>One finding: the row (1-based data row or feature number), the entity, field, value and why.</summary>
public sealed record ImportIssue(int Row, string? EntityId, string Field, string? Value, string Reason, bool Warning = false);

/// <summary>The outcome of one row.</summary>
public sealed record ImportRowResult(int Row, string? EntityId, string? Name, ImportOutcome Outcome, int ChangedFields);

/// <summary>The result of a dry run or a commit; the same shape on screen, as JSON and as CSV.</summary>
/// <summary>Seconds spent per phase of an import.</summary>
public sealed record ImportTimings(double Read, double Check, double Save);

public sealed record ImportReport
{
    public required string FileName { get; init; }

    public required ImportFormat Format { get; init; }

    public required ImportMode Mode { get; init; }

    public int Total { get; init; }

    public int New { get; init; }

    public int Updated { get; init; }

    public int Unchanged { get; init; }

    public int Rejected { get; init; }

    /// <summary>True when the accepted rows were written (commit mode, and not blocked by all-or-nothing).</summary>
    public bool Committed { get; init; }

    /// <summary>A problem with the whole file (unreadable, invalid JSON, unknown CRS…): nothing was imported.</summary>
    public string? FileError { get; init; }

    public string? SourceCrs { get; init; }

    public string? BatchId { get; init; }

    public double Seconds { get; init; }

    /// <summary>Where the time went: reading and mapping the file, checking against the registry, saving.</summary>
    public ImportTimings? Timings { get; init; }

    public IReadOnlyList<ImportIssue> Issues { get; init; } = [];

    public IReadOnlyList<ImportRowResult> Rows { get; init; } = [];
}
