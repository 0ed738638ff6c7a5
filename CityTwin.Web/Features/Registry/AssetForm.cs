using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CityTwin.Domain;
using CityTwin.Domain.Assets;
using CityTwin.Domain.Geography;

namespace CityTwin.Web.Features.Registry;

/// <summary>
/// The edit form of one asset as text values keyed like the change log (lifecycle names, <c>attr:</c>/<c>pub:</c>/<c>rel:</c>
/// + IRI), so that the form, its validation, the conflict view and the domain all speak of the same fields.
/// </summary>
public sealed class AssetForm
{
    public const string AttributePrefix = "attr:";
    public const string PublicationPrefix = "pub:";
    public const string RelationshipPrefix = "rel:";

    public static readonly IReadOnlyList<string> LifecycleKeys =
    [
        "name", "description", "status", "condition", "inspectedOn", "installedOn", "expectedLifeYears", "replacementCost",
        "criticality", "department", "district", "address", "longitude", "latitude", "publication",
    ];

    private AssetForm(AssetType type) => Type = type;

    public AssetType Type { get; }

    public Dictionary<string, string?> Values { get; } = new(StringComparer.Ordinal);

    public string? this[string key]
    {
        get => Values.GetValueOrDefault(key);
        set => Values[key] = string.IsNullOrWhiteSpace(value) ? null : value;
    }

    public bool HasNonPointGeometry { get; private set; }

    /// <summary>Separates the targets of one relationship field (asset ids never contain a line break).</summary>
    public const char TargetSeparator = '\n';

    /// <summary>The targets of a relationship field (<c>rel:</c> + IRI), in the order the curator gave them.</summary>
    public IReadOnlyList<string> Targets(string key) =>
        this[key]?.Split(TargetSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>Sets the targets of a relationship field (duplicates dropped; none = the field is empty).</summary>
    public void SetTargets(string key, IEnumerable<string> targets) =>
        this[key] = string.Join(TargetSeparator, targets.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal));

    /// <summary>
    /// Attributes kept whole from the NGSI-LD API (sub-attributes, several instances…): the field shows their value;
    /// left as it is, the attribute is kept as it is; edited, it becomes the registry's plain value.
    /// </summary>
    private Dictionary<string, string?> Kept { get; } = new(StringComparer.Ordinal);

    public static AssetForm New(AssetType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var form = new AssetForm(type);
        form["status"] = nameof(AssetStatus.Active);
        form["criticality"] = Asset.DefaultCriticality.ToString(CultureInfo.InvariantCulture);
        form["expectedLifeYears"] = type.DefaultExpectedLifeYears.ToString(CultureInfo.InvariantCulture);
        form["publication"] = type.DefaultPublication.ToString();
        return form;
    }

    public static AssetForm From(Asset asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        var f = new AssetForm(asset.Type);
        f["name"] = asset.Name;
        f["description"] = asset.Description;
        f["status"] = asset.Status.ToString();
        f["condition"] = Invariant(asset.Condition);
        f["inspectedOn"] = asset.InspectedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        f["installedOn"] = asset.InstalledOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        f["expectedLifeYears"] = Invariant(asset.ExpectedLifeYears);
        f["replacementCost"] = asset.ReplacementCost?.ToString("0.##", CultureInfo.InvariantCulture);
        f["criticality"] = Invariant(asset.Criticality);
        f["department"] = asset.Department;
        f["district"] = asset.DistrictCode;
        f["address"] = asset.Address;
        f["publication"] = asset.Publication.ToString();
        if (asset.Geometry is { Kind: GeometryKind.Point } point)
        {
            f["longitude"] = point.Anchor.Longitude.ToString("0.0######", CultureInfo.InvariantCulture);
            f["latitude"] = point.Anchor.Latitude.ToString("0.0######", CultureInfo.InvariantCulture);
        }

        f.HasNonPointGeometry = asset.Geometry is { Kind: not GeometryKind.Point };
        foreach (var iri in Asset.ClassifiedLifecycle.Keys)
        {
            f[PublicationPrefix + iri] = asset.AttributePublication.TryGetValue(iri, out var own) ? own.ToString() : null;
        }

        foreach (var def in asset.Type.Attributes)
        {
            if (def.Kind == AttributeKind.Relationship)
            {
                f.SetTargets(RelationshipPrefix + def.Iri, asset.Relationships.Where(r => r.Iri == def.Iri).Select(r => r.Target.Value));
            }
            else
            {
                f[AttributePrefix + def.Iri] = asset.Attributes.TryGetValue(def.Iri, out var v) ? Text(v) : null;
                if (v is { Type: AttributeDataType.Ngsi })
                {
                    f.Kept[AttributePrefix + def.Iri] = f[AttributePrefix + def.Iri];
                }

                f[PublicationPrefix + def.Iri] = asset.AttributePublication.TryGetValue(def.Iri, out var p) ? p.ToString() : null;
            }
        }

        return f;
    }

    public AssetForm Clone()
    {
        var copy = new AssetForm(Type) { HasNonPointGeometry = HasNonPointGeometry };
        foreach (var (k, v) in Values)
        {
            copy.Values[k] = v;
        }

        foreach (var (k, v) in Kept)
        {
            copy.Kept[k] = v;
        }

        return copy;
    }

    /// <summary>Checks one field; returns the message to show beside it, or null.</summary>
    public string? Validate(string key)
    {
        try
        {
            Check(key, this[key]);
            return null;
        }
        catch (DomainException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>All field messages (empty = the form can be saved).</summary>
    public IReadOnlyDictionary<string, string> ValidateAll()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in Values.Keys.Union(LifecycleKeys))
        {
            if (Validate(key) is { } message)
            {
                errors[key] = message;
            }
        }

        if ((this["longitude"] is null) != (this["latitude"] is null))
        {
            errors[this["longitude"] is null ? "longitude" : "latitude"] = "Give both longitude and latitude, or neither.";
        }

        if (this["condition"] is not null && this["inspectedOn"] is null)
        {
            errors["inspectedOn"] = "A condition needs the date of the inspection.";
        }

        return errors;
    }

    private void Check(string key, string? value)
    {
        if (Kept.TryGetValue(key, out var kept) && kept == value)
        {
            return;
        }

        switch (key)
        {
            case "name":
                Guard.RequiredText(value, "name", Asset.MaxNameLength);
                break;
            case "description":
                Guard.OptionalText(value, "description", Asset.MaxDescriptionLength, multiline: true);
                break;
            case "address":
                Guard.OptionalText(value, "address", Asset.MaxAddressLength);
                break;
            case "department":
                Guard.OptionalText(value, "department", Asset.MaxDepartmentLength);
                break;
            case "condition":
                _ = ParseInt(value, key, Asset.MinCondition, Asset.MaxCondition);
                break;
            case "criticality":
                if (ParseInt(value, key, Asset.MinCriticality, Asset.MaxCriticality) is null)
                {
                    throw new DomainException(key, "Criticality is required (1 … 5).");
                }

                break;
            case "expectedLifeYears":
                _ = ParseInt(value, key, 1, Asset.MaxExpectedLifeYears);
                break;
            case "replacementCost":
                if (ParseDecimal(value, key) is < 0)
                {
                    throw new DomainException(key, "The replacement cost cannot be negative.");
                }

                break;
            case "inspectedOn" or "installedOn":
                _ = ParseDate(value, key);
                break;
            case "longitude":
                _ = ParseDouble(value, key, -180, 180);
                break;
            case "latitude":
                _ = ParseDouble(value, key, -90, 90);
                break;
            default:
                if (key.StartsWith(AttributePrefix, StringComparison.Ordinal) && Type.FindAttribute(key[AttributePrefix.Length..]) is { } def &&
                    ParseAttribute(def, value) is { } attributeValue)
                {
                    def.Validate(attributeValue);
                }
                else if (key.StartsWith(RelationshipPrefix, StringComparison.Ordinal))
                {
                    CheckTargets(key);
                }

                break;
        }
    }

    private void CheckTargets(string key)
    {
        var targets = Targets(key);
        foreach (var target in targets)
        {
            if (!AssetId.IsValid(target, out var error))
            {
                throw new DomainException(key, error);
            }
        }

        if (targets.Count > 1 && Type.FindAttribute(key[RelationshipPrefix.Length..]) is { IsList: false } def)
        {
            throw new DomainException(key, $"{def.Label} links to one asset only; remove the others first.");
        }
    }

    /// <summary>Writes the form onto an asset through its domain methods (each rule is checked there too).</summary>
    public void ApplyTo(Asset asset, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(asset);
        if (ValidateAll().FirstOrDefault() is { Key: { } field, Value: { } message })
        {
            throw new DomainException(field, message);
        }

        asset.Rename(this["name"]!);
        asset.Describe(this["description"], this["address"]);
        asset.AssignTo(this["department"], this["district"]);
        var status = Enum.Parse<AssetStatus>(this["status"] ?? nameof(AssetStatus.Active));
        if (status != asset.Status)
        {
            asset.ChangeStatus(status);
        }

        asset.SetLifecycle(ParseDate(this["installedOn"], "installedOn"), ParseInt(this["expectedLifeYears"], "expectedLifeYears", 1, Asset.MaxExpectedLifeYears),
            ParseDecimal(this["replacementCost"], "replacementCost"), ParseInt(this["criticality"], "criticality", 1, 5) ?? Asset.DefaultCriticality, today);
        if (ParseInt(this["condition"], "condition", 1, 5) is { } condition && ParseDate(this["inspectedOn"], "inspectedOn") is { } inspected &&
            (condition != asset.Condition || inspected != asset.InspectedOn))
        {
            asset.RecordInspection(condition, inspected, today);
        }

        if (!HasNonPointGeometry)
        {
            var lon = ParseDouble(this["longitude"], "longitude", -180, 180);
            var lat = ParseDouble(this["latitude"], "latitude", -90, 90);
            asset.Locate(lon is { } x && lat is { } y ? AssetGeometry.Point(x, y) : null);
        }

        asset.Publish(Enum.Parse<PublicationClass>(this["publication"] ?? nameof(PublicationClass.Public)));
        foreach (var def in Type.Attributes)
        {
            if (def.Kind == AttributeKind.Relationship)
            {
                var targets = Targets(RelationshipPrefix + def.Iri);
                foreach (var old in asset.Relationships.Where(r => r.Iri == def.Iri && !targets.Contains(r.Target.Value)).ToList())
                {
                    asset.Unlink(def.Iri, old.Target);
                }

                foreach (var target in targets.Where(t => !asset.Relationships.Any(r => r.Iri == def.Iri && r.Target.Value == t)))
                {
                    asset.LinkTo(def.Iri, new AssetId(target));
                }

                continue;
            }

            if (!(Kept.TryGetValue(AttributePrefix + def.Iri, out var kept) && kept == this[AttributePrefix + def.Iri]))
            {
                asset.SetAttribute(def.Iri, ParseAttribute(def, this[AttributePrefix + def.Iri]));
            }

            if (this[PublicationPrefix + def.Iri] is { } publication)
            {
                asset.PublishAttribute(def.Iri, Enum.Parse<PublicationClass>(publication));
            }
        }

        foreach (var iri in Asset.ClassifiedLifecycle.Keys)
        {
            if (this[PublicationPrefix + iri] is { } publication)
            {
                asset.PublishAttribute(iri, Enum.Parse<PublicationClass>(publication));
            }
        }
    }

    public static AttributeValue? ParseAttribute(AttributeDefinition definition, string? text)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        return definition.DataType switch
        {
            AttributeDataType.Number => AttributeValue.OfNumber(ParseDouble(text, definition.Term, double.MinValue, double.MaxValue, definition.Label)!.Value),
            AttributeDataType.Integer => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
                ? AttributeValue.OfInteger(l) : throw new DomainException(definition.Term, $"{definition.Label} must be a whole number; got '{text}'."),
            AttributeDataType.Boolean => text.ToLowerInvariant() switch
            {
                "true" or "yes" or "1" => AttributeValue.OfBoolean(true),
                "false" or "no" or "0" => AttributeValue.OfBoolean(false),
                _ => throw new DomainException(definition.Term, $"{definition.Label} must be yes or no; got '{text}'."),
            },
            AttributeDataType.Date => AttributeValue.OfDate(ParseDate(text, definition.Term)!.Value),
            _ => AttributeValue.OfText(Guard.RequiredText(text, definition.Term, 1000)),
        };
    }

    private static string? Text(AttributeValue v) => v.Number is { } n ? n.ToString("0.######", CultureInfo.InvariantCulture)
        : v.Type == AttributeDataType.Ngsi ? KeptText(v) : v.ToString();

    /// <summary>The value of an attribute kept whole (its default instance's value, list items joined), as text.</summary>
    public static string KeptText(AttributeValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var instance = DefaultInstance(value);
        var main = instance?["value"] ?? instance?["object"] ?? instance?["valueList"] ?? instance?["languageMap"] ?? instance?["vocab"] ?? instance?["json"];
        return Plain(main) ?? value.Text ?? "";

        static string? Plain(JsonNode? n) => n switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v => v.ToJsonString(),
            JsonObject o when o["@value"] is { } literal => Plain(literal),
            JsonArray a => string.Join(", ", a.Select(Plain)),
            null => null,
            _ => n.ToJsonString(),
        };
    }

    /// <summary>The unit code of an attribute kept whole (its default instance's), or null.</summary>
    public static string? KeptUnit(AttributeValue value) =>
        DefaultInstance(value ?? throw new ArgumentNullException(nameof(value)))?["unitCode"] is JsonValue unit && unit.TryGetValue<string>(out var code) ? code : null;

    /// <summary>The default instance (no datasetId, else the first) of an attribute kept whole; null when it is not JSON.</summary>
    private static JsonObject? DefaultInstance(AttributeValue value)
    {
        try
        {
            return JsonNode.Parse(value.Text ?? "null") switch
            {
                JsonArray many => many.OfType<JsonObject>().FirstOrDefault(i => i["datasetId"] is null) ?? many.FirstOrDefault() as JsonObject,
                var node => node as JsonObject,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Invariant(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static int? ParseInt(string? text, string field, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= min && i <= max
            ? i
            : throw new DomainException(field, $"Enter a whole number from {min} to {max}; got '{text}'.");
    }

    private static double? ParseDouble(string? text, string field, double min, double max, string? label = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // Accept a decimal comma, as typed in French or Dutch.
        var normal = text.Trim().Replace(',', '.');
        return double.TryParse(normal, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d >= min && d <= max
            ? d
            : throw new DomainException(field, min == double.MinValue
                ? $"{label ?? field} must be a number; got '{text}'."
                : string.Create(CultureInfo.InvariantCulture, $"Enter a number from {min} to {max}; got '{text}'."));
    }

    private static decimal? ParseDecimal(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return decimal.TryParse(text.Trim().Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new DomainException(field, $"Enter an amount in euros, like 2500 or 2500.50; got '{text}'.");
    }

    private static DateOnly? ParseDate(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new DomainException(field, $"Enter a date as YYYY-MM-DD; got '{text}'.");
    }
}
