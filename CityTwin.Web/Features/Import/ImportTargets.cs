using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using CityTwin.Domain.Assets;
using CityTwin.Domain.Vocabulary;
using CityTwin.Web.Features.JsonLd;

namespace CityTwin.Web.Features.Import;

/// <summary>The fields a column can be mapped to, and how a text value lands on a draft.</summary>
public static class ImportTargets
{
    public const string AttributesJson = "attributes";
    public const string NewAttributePrefix = "attr:";

    /// <summary>Lifecycle fields with their labels (the same keys as the change log).</summary>
    public static IReadOnlyList<(string Key, string Label)> Lifecycle { get; } =
    [
        ("name", "Name"), ("description", "Description"), ("address", "Address"), ("status", "Status"), ("condition", "Condition (1–5)"),
        ("inspectedOn", "Inspected on"), ("installedOn", "Installed on"), ("expectedLifeYears", "Expected service life (years)"),
        ("replacementCost", "Replacement cost"), ("criticality", "Criticality (1–5)"), ("department", "Owner department"),
        ("district", "District"), ("publication", "Publication"),
    ];

    /// <summary>Names other files (and CityTwin's NGSI-LD terms) use for the lifecycle fields.</summary>
    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["lifecycleStatus"] = "status", ["expectedServiceLife"] = "expectedLifeYears", ["ownerDepartment"] = "department",
        ["publicationClass"] = "publication", ["districtCode"] = "district", ["dateInstalled"] = "installedOn", ["installationDate"] = "installedOn",
        ["dateLastInspection"] = "inspectedOn", ["adresse"] = "address",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> LifecycleKeys = Lifecycle.Select(l => l.Key).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The lifecycle key for a column or term name, if it is one.</summary>
    public static string? LifecycleKey(string name) =>
        LifecycleKeys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? Aliases.GetValueOrDefault(name);

    /// <summary>
    /// The mapping target of one of the type's attributes: its term, or its IRI when the term is also a lifecycle key
    /// (the Smart Data Models "status" of a Streetlight is not the registry's lifecycle status).
    /// </summary>
    public static string AttributeTarget(AttributeDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return LifecycleKey(definition.Term) is null ? definition.Term : definition.Iri;
    }

    /// <summary>Sets a lifecycle field from text; throws <see cref="FormatException"/> with the expected form.</summary>
    public static void SetLifecycle(AssetDraft draft, string field, string text)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var value = text.Trim();
        var empty = value.Length == 0;
        switch (field)
        {
            case "name":
                draft.Name = empty ? throw new FormatException("The name cannot be empty.") : value;
                break;
            case "description":
                draft.Description = Optional.Of<string>(empty ? null : value);
                break;
            case "address":
                draft.Address = Optional.Of<string>(empty ? null : value);
                break;
            case "department":
                draft.Department = Optional.Of<string>(empty ? null : value);
                break;
            case "district":
                draft.District = Optional.Of<string>(empty ? null : value);
                break;
            case "status":
                draft.Status = ParseStatus(value);
                break;
            case "publication":
                draft.Publication = Enum.TryParse<PublicationClass>(value, ignoreCase: true, out var p) && Enum.IsDefined(p)
                    ? p : throw new FormatException("Publication is one of Public, Internal, Personal.");
                break;
            case "condition":
                draft.Condition = ImportValues.TryNumber(value, out var c) && c % 1 == 0 ? (int)c : throw new FormatException("Condition is a whole number from 1 (very poor) to 5 (very good).");
                break;
            case "criticality":
                draft.Criticality = ImportValues.TryNumber(value, out var k) && k % 1 == 0 ? (int)k : throw new FormatException("Criticality is a whole number from 1 to 5.");
                break;
            case "expectedLifeYears":
                draft.ExpectedLifeYears = empty ? Optional.Of<int?>(null) : ImportValues.TryNumber(value, out var l) && l % 1 == 0 && l < int.MaxValue
                    ? Optional.Of<int?>((int)l) : throw new FormatException("Expected service life is a whole number of years.");
                break;
            case "replacementCost":
                draft.ReplacementCost = empty ? Optional.Of<decimal?>(null) : ImportValues.TryNumber(value, out var r) && Math.Abs(r) < 1e15
                    ? Optional.Of<decimal?>((decimal)r) : throw new FormatException("Replacement cost is an amount such as 1250.50 or 1.250,50.");
                break;
            case "installedOn":
                draft.InstalledOn = empty ? Optional.Of<DateOnly?>(null) : ImportValues.TryDate(value, out var i)
                    ? Optional.Of<DateOnly?>(i) : throw new FormatException("Installed on is a date such as 2019-04-30 or 30.04.2019.");
                break;
            case "inspectedOn":
                draft.InspectedOn = ImportValues.TryDate(value, out var d) ? d : throw new FormatException("Inspected on is a date such as 2024-05-31 or 31.05.2024.");
                break;
            default:
                throw new FormatException($"'{field}' is not a registry field.");
        }
    }

    private static AssetStatus ParseStatus(string text)
    {
        var compact = text.Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (Enum.TryParse<AssetStatus>(compact, ignoreCase: true, out var status) && Enum.IsDefined(status) && !int.TryParse(compact, CultureInfo.InvariantCulture, out _))
        {
            return status;
        }

        return compact.ToUpperInvariant() switch
        {
            "INSERVICE" or "OK" or "WORKING" or "OPERATIONAL" => AssetStatus.Active,
            "MAINTENANCE" or "UNDERREPAIR" => AssetStatus.UnderMaintenance,
            "BROKEN" or "DEFECTIVE" or "OUTOFORDER" => AssetStatus.OutOfService,
            "RETIRED" or "REMOVED" => AssetStatus.Decommissioned,
            _ => throw new FormatException("Status is one of Planned, Active, UnderMaintenance, OutOfService, Decommissioned."),
        };
    }

    /// <summary>
    /// Applies a mapped text value: a lifecycle field, an attribute or relationship of the type, a new attribute
    /// (<c>attr:term</c>) or a JSON object of attributes (<see cref="AttributesJson"/>).
    /// </summary>
    public static void Set(AssetDraft draft, AssetType type, string target, string text, JsonLdContext cityTwin)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(target);
        if (LifecycleKey(target) is { } field)
        {
            SetLifecycle(draft, field, text);
            return;
        }

        if (target == AttributesJson)
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The attributes column holds a JSON object.");
            }

            foreach (var member in doc.RootElement.EnumerateObject())
            {
                NgsiLdImportReader.ReadAttribute(draft, type, cityTwin.Expand(member.Name), member.Name, member.Value);
            }

            return;
        }

        if (target.StartsWith(NewAttributePrefix, StringComparison.Ordinal))
        {
            // attr:term or attr:term:text|number|integer|boolean|date (the type, when inference would guess wrong: postal codes)
            var spec = target[NewAttributePrefix.Length..].Split(':', 2, StringSplitOptions.TrimEntries);
            var term = spec[0];
            if (term.Length == 0 || !term.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-'))
            {
                throw new FormatException($"'{term}' is not a valid attribute name (letters, digits, _ and -).");
            }

            draft.Attributes[CityTwinTerms.Own(term)] = spec.Length == 1 ? ImportValues.Infer(text) : spec[1].ToUpperInvariant() switch
            {
                "TEXT" => AttributeValue.OfText(text.Trim()),
                var kind => ImportValues.ForDefinition(new AttributeDefinition(term, CityTwinTerms.Own(term),
                    Enum.TryParse<AttributeDataType>(kind, ignoreCase: true, out var dataType) ? dataType : throw new FormatException($"'{spec[1]}' is not a data type (text, number, integer, boolean, date)."),
                    term), text),
            };
            return;
        }

        var definition = type.FindAttribute(target) ?? throw new FormatException($"'{target}' is neither a registry field nor an attribute of {type.Name}.");
        if (definition.Kind == AttributeKind.Relationship)
        {
            var targets = text.Split([';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            foreach (var t in targets)
            {
                if (!AssetId.IsValid(t, out var error))
                {
                    throw new FormatException($"'{t}' is not an entity id: {error}");
                }
            }

            draft.Links[definition.Iri] = targets;
            return;
        }

        draft.Attributes[definition.Iri] = ImportValues.ForDefinition(definition, text);
    }
}
