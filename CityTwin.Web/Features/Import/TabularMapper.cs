using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CityTwin.Domain;
using CityTwin.Domain.Assets;
using CityTwin.Web.Features.Geo;
using CityTwin.Web.Features.JsonLd;

namespace CityTwin.Web.Features.Import;

/// <summary>Turns rows of a CSV or GeoJSON file into drafts through a mapping, and proposes a mapping for a new file.</summary>
public static partial class TabularMapper
{
    /// <summary>The pseudo-column naming a GeoJSON feature's own <c>id</c>.</summary>
    public const string FeatureIdColumn = "(feature id)";

    public static AssetDraft Map(TabularFile file, TabularRow row, ImportMapping mapping, CrsTransform crs, JsonLdContext cityTwin)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(mapping);
        var draft = new AssetDraft(row.Number);
        if (row.HasValuesBeyondHeader)
        {
            draft.Error("row", null, $"The line has {row.SourceCellCount} cells but the header {file.Columns.Count}: a value holding the delimiter must be quoted. " +
                "The row is rejected so that no value lands in the wrong column.");
            return draft;
        }

        if (row.SourceCellCount >= 0 && row.SourceCellCount < file.Columns.Count)
        {
            draft.Warn("row", null, $"The line has {row.SourceCellCount} cells but the header {file.Columns.Count}: the missing cells are read as empty.");
        }

        string? Cell(string? column) => column == FeatureIdColumn ? row.FeatureId : file.Cell(row, column) is { } v ? ImportValues.Unguard(v.Trim()) : null;

        var typeName = mapping.TypeColumn is not null ? Cell(mapping.TypeColumn) ?? mapping.AssetType : mapping.AssetType;
        var type = typeName is null ? null : AssetTypeCatalog.Find(typeName) ?? AssetTypeCatalog.All.FirstOrDefault(t => string.Equals(t.Label, typeName, StringComparison.OrdinalIgnoreCase));
        if (type is null)
        {
            draft.Error("type", typeName, typeName is null ? "Choose the asset type of the rows." : $"'{typeName}' is not an asset type of the registry.");
            return draft;
        }

        draft.Type = type;
        if (mapping.IdColumn is not null)
        {
            var id = Cell(mapping.IdColumn);
            if (!AssetId.IsValid(id, out var error))
            {
                draft.Error(mapping.IdColumn, id, error);
                return draft;
            }

            draft.Id = id;
        }
        else if (mapping.KeyColumn is not null)
        {
            var key = Cell(mapping.KeyColumn);
            if (string.IsNullOrWhiteSpace(key))
            {
                draft.Error(mapping.KeyColumn, null, "The key column is empty on this row: the record cannot be matched.");
                return draft;
            }

            draft.Id = AssetId.For(type.Name, Slug((mapping.IdPrefix ?? "") + key)).Value;
        }
        else
        {
            draft.Error("key", null, "Choose the column that identifies a record (the merge key) or a column of entity ids.");
            return draft;
        }

        draft.FallbackName = $"{type.Label} {Cell(mapping.KeyColumn ?? mapping.IdColumn)}";
        if (mapping.NameTemplate is { Length: > 0 } template)
        {
            var name = template.Contains('{', StringComparison.Ordinal)
                ? TemplatePart().Replace(template, m => Cell(m.Groups[1].Value) ?? "").Trim()
                : Cell(template);
            if (!string.IsNullOrWhiteSpace(name))
            {
                draft.Name = WhiteSpace().Replace(name, " ");
            }
        }

        ReadGeometry(draft, file, row, mapping, crs, Cell);
        foreach (var field in mapping.Fields)
        {
            if (string.IsNullOrEmpty(field.Target))
            {
                continue;
            }

            var value = Cell(field.Column);
            if (string.IsNullOrWhiteSpace(value))
            {
                value = field.EmptyAs;
                if (value is null)
                {
                    continue;
                }
            }

            if (field.Values is { Count: > 0 } values)
            {
                // exact match, then case-insensitive, then the "*" entry (any other value), else the value itself
                value = values.TryGetValue(value, out var mapped) ? mapped
                    : values.FirstOrDefault(v => string.Equals(v.Key, value, StringComparison.OrdinalIgnoreCase)).Value
                      ?? values.GetValueOrDefault("*") ?? value;
            }

            Apply(draft, type, field.Column, field.Target, value, cityTwin);
        }

        foreach (var (target, value) in mapping.Constants)
        {
            Apply(draft, type, target, target, value, cityTwin);
        }

        return draft;
    }

    private static void Apply(AssetDraft draft, AssetType type, string column, string target, string value, JsonLdContext cityTwin)
    {
        try
        {
            ImportTargets.Set(draft, type, target, value, cityTwin);
        }
        catch (Exception e) when (e is FormatException or DomainException or JsonException)
        {
            draft.Error(column, value, e.Message);
        }
    }

    private static void ReadGeometry(AssetDraft draft, TabularFile file, TabularRow row, ImportMapping mapping, CrsTransform crs, Func<string?, string?> cell)
    {
        string? field = null;
        string? text = null;
        try
        {
            RawGeometry? raw = null;
            if (mapping.GeometryColumn is not null && cell(mapping.GeometryColumn) is { Length: > 0 } g)
            {
                (field, text) = (mapping.GeometryColumn, g);
                raw = ImportGeometry.FromText(g);
            }
            else if (mapping.LatLonColumn is not null && cell(mapping.LatLonColumn) is { Length: > 0 } ll)
            {
                (field, text) = (mapping.LatLonColumn, ll);
                raw = ImportGeometry.FromLatLon(ll);
            }
            else if (mapping.LongitudeColumn is not null && mapping.LatitudeColumn is not null &&
                     cell(mapping.LongitudeColumn) is { Length: > 0 } lonText && cell(mapping.LatitudeColumn) is { Length: > 0 } latText)
            {
                (field, text) = (mapping.LongitudeColumn, $"{lonText}, {latText}");
                raw = ImportValues.TryNumber(lonText, out var x) && ImportValues.TryNumber(latText, out var y)
                    ? ImportGeometry.FromXY(x, y)
                    : throw new FormatException("Longitude and latitude must be numbers.");
            }
            else if (row.Geometry is { } geometry)
            {
                (field, text) = ("geometry", geometry.GetRawText());
                raw = ImportGeometry.FromGeoJson(geometry);
            }

            if (raw is not null)
            {
                draft.Geometry = ImportGeometry.ToWgs84(raw, crs);
            }
        }
        catch (FormatException e)
        {
            draft.Error(field ?? "geometry", text, e.Message);
        }
    }

    /// <summary>Keeps ids readable and valid: letters, digits and . _ - stay; anything else becomes '-'.</summary>
    public static string Slug(string key)
    {
        var sb = new StringBuilder(key.Length);
        foreach (var c in key.Trim())
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':' ? c : '-');
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"\{([^{}]+)\}")]
    private static partial Regex TemplatePart();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"^\s*(.*?)\s*\([^()]*\)\s*$")]
    private static partial Regex UnitSuffix();

    private static readonly string[] KeyNames = ["id", "key", "objectid", "fid", "code", "asset_id", "assetid", "poi_id", "gid", "uid", "nummer", "number"];
    private static readonly string[] LonNames = ["longitude", "lon", "lng", "long", "x", "easting", "e", "laengengrad"];
    private static readonly string[] LatNames = ["latitude", "lat", "y", "northing", "n", "breitengrad"];
    private static readonly string[] GeometryNames = ["geometry", "geom", "wkt", "the_geom", "shape", "geometrie"];
    private static readonly string[] LatLonNames = ["latlon", "lat_lon", "lat, lon", "coordinates", "coords", "position", "location", "koordinaten"];
    private static readonly string[] NameNames = ["name", "title", "label", "bezeichnung", "nom", "naam", "nombre"];

    /// <summary>
    /// Proposes a mapping: the type column or the chosen type, an id or key column, coordinates (lon/lat, "lat, lon",
    /// WKT/GeoJSON), the name, and every column whose name is a registry field or an attribute term or label of the type.
    /// X-flag columns map empty cells to false.
    /// </summary>
    public static ImportMapping Suggest(TabularFile file, string? assetType, string? fileName)
    {
        ArgumentNullException.ThrowIfNull(file);
        var sample = file.Rows.Take(200).ToList();
        IEnumerable<string?> Values(string column) => sample.Select(r => file.Cell(r, column));
        string? Find(IEnumerable<string> names, Func<string, bool>? accept = null) =>
            names.SelectMany(n => file.Columns.Where(c => string.Equals(c, n, StringComparison.OrdinalIgnoreCase))).FirstOrDefault(c => accept?.Invoke(c) ?? true);

        var typeColumn = file.Columns.FirstOrDefault(c => c.Equals("type", StringComparison.OrdinalIgnoreCase) &&
            Values(c).Where(v => v is not null).DefaultIfEmpty("x").All(v => AssetTypeCatalog.Find(v!) is not null));
        var type = assetType is not null ? AssetTypeCatalog.Find(assetType) : null;
        if (type is null && typeColumn is not null)
        {
            type = Values(typeColumn).Select(v => v is null ? null : AssetTypeCatalog.Find(v)).FirstOrDefault(t => t is not null);
        }

        var idColumn = Find(["id", "entityId", "urn"], c => Values(c).All(v => v is not null && AssetId.IsValid(v, out _) && v.StartsWith("urn:", StringComparison.Ordinal)));
        if (idColumn is null && file.Rows.Count > 0 && file.Rows.All(r => r.FeatureId is { } f && f.StartsWith("urn:", StringComparison.Ordinal) && AssetId.IsValid(f, out _)))
        {
            idColumn = FeatureIdColumn;
        }

        string? keyColumn = null;
        if (idColumn is null)
        {
            bool Unique(string c)
            {
                var all = file.Rows.Select(r => file.Cell(r, c)).ToList();
                return all.All(v => !string.IsNullOrWhiteSpace(v)) && all.Distinct(StringComparer.Ordinal).Count() == all.Count;
            }

            keyColumn = Find(KeyNames, Unique)
                ?? file.Columns.FirstOrDefault(c => (c.EndsWith("_id", StringComparison.OrdinalIgnoreCase) || c.EndsWith("id", StringComparison.Ordinal)) && Unique(c))
                ?? (file.Rows.Count > 0 && file.Rows.All(r => r.FeatureId is not null) && file.Rows.Select(r => r.FeatureId).Distinct().Count() == file.Rows.Count ? FeatureIdColumn : null);
        }

        var geometryColumn = Find(GeometryNames) ?? file.Columns.FirstOrDefault(c => Values(c).FirstOrDefault(v => v is not null) is { } v && LooksLikeGeometry(v));
        var latLonColumn = geometryColumn is null ? Find(LatLonNames, c => Values(c).FirstOrDefault(v => v is not null) is { } v && LatLonPair().IsMatch(v)) : null;
        var lon = Find(LonNames, c => Values(c).Where(v => v is not null).All(v => ImportValues.TryNumber(v, out _)));
        var lat = Find(LatNames, c => Values(c).Where(v => v is not null).All(v => ImportValues.TryNumber(v, out _)));
        var nameColumn = Find(NameNames);
        var used = new HashSet<string?>(StringComparer.Ordinal) { typeColumn, idColumn, geometryColumn, latLonColumn, nameColumn };
        if (file.Rows.Any(r => r.Geometry is not null) && geometryColumn is null)
        {
            // GeoJSON: the feature geometry wins; lon/lat properties are then plain attributes (often rounded copies).
            lon = lat = null;
        }

        used.Add(lon);
        used.Add(lat);
        var fields = new List<FieldMapping>();
        foreach (var column in file.Columns.Where(c => !used.Contains(c)))
        {
            var bare = UnitSuffix().Match(column) is { Success: true } m ? m.Groups[1].Value : column;
            // A term the type itself defines wins over a lifecycle alias (a Streetlight's "status" is its lamp state).
            string? target = type?.Attributes.FirstOrDefault(a => a.Term == bare) is { } own ? ImportTargets.AttributeTarget(own)
                : ImportTargets.LifecycleKey(bare) ?? ImportTargets.LifecycleKey(column);
            if (target is null && bare.Equals(ImportTargets.AttributesJson, StringComparison.OrdinalIgnoreCase))
            {
                target = ImportTargets.AttributesJson;
            }

            if (target is null && type is not null)
            {
                target = (type.FindAttribute(bare) ?? type.Attributes.FirstOrDefault(a => string.Equals(a.Label, bare, StringComparison.OrdinalIgnoreCase))) is { } definition
                    ? ImportTargets.AttributeTarget(definition)
                    : null;
            }

            var flag = Values(column).Any(v => v is "X" or "x") && Values(column).All(v => v is null or "X" or "x");
            fields.Add(new FieldMapping(column, target ?? "", EmptyAs: flag ? "false" : null));
        }

        var prefix = keyColumn is null ? null : Slug(Path.GetFileNameWithoutExtension(fileName ?? "import")).ToLowerInvariant() + "-";
        return new ImportMapping
        {
            AssetType = typeColumn is null ? type?.Name : null,
            TypeColumn = typeColumn,
            IdColumn = idColumn,
            KeyColumn = keyColumn,
            IdPrefix = prefix,
            NameTemplate = nameColumn is null ? null : "{" + nameColumn + "}",
            GeometryColumn = geometryColumn,
            LatLonColumn = latLonColumn,
            LongitudeColumn = lon is not null && lat is not null ? lon : null,
            LatitudeColumn = lon is not null && lat is not null ? lat : null,
            Fields = fields,
        };
    }

    private static bool LooksLikeGeometry(string value)
    {
        var v = value.TrimStart();
        return v.StartsWith("POINT", StringComparison.OrdinalIgnoreCase) || v.StartsWith("LINESTRING", StringComparison.OrdinalIgnoreCase) ||
               v.StartsWith("POLYGON", StringComparison.OrdinalIgnoreCase) || v.StartsWith("MULTI", StringComparison.OrdinalIgnoreCase) ||
               (v.StartsWith('{') && v.Contains("\"coordinates\"", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\s*-?\d+(\.\d+)?\s*[,; ]\s*-?\d+(\.\d+)?\s*$")]
    private static partial Regex LatLonPair();
}
