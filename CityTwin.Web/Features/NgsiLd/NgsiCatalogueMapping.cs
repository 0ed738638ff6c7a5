using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CityTwin.Domain;
using CityTwin.Domain.Assets;
using CityTwin.Domain.Vocabulary;
using CityTwin.Web.Features.Import;
using CityTwin.Web.Features.Interop;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>
/// Entities of the registry's own (catalogue) types on the API (ADR 0011). Writes map each attribute onto the asset
/// without losing anything: CityTwin's lifecycle terms set the lifecycle columns; a type attribute whose NGSI-LD form
/// is exactly what the registry would write back (one Property, a value of the definition's type, its unit) is stored
/// typed, any other form (sub-attributes, observedAt, several instances, a typed literal, a list given as a single
/// value…) is kept whole after its value passed the definition's checks. Reads prefer a kept attribute while it still
/// agrees with the registry's field, so a curator's edit in the UI wins over a stale copy.
/// </summary>
public static class NgsiCatalogueMapping
{
    private static readonly FrozenDictionary<string, string> LifecycleField = CityTwinContext.Lifecycle
        .ToFrozenDictionary(l => l.Value, l => ImportTargets.LifecycleKey(l.Key) ?? l.Key, StringComparer.Ordinal);

    public static readonly string NameIri = CityTwinContext.Lifecycle["name"];
    public static readonly string DescriptionIri = CityTwinContext.Lifecycle["description"];
    public static readonly string AddressIri = CityTwinContext.Lifecycle["address"];

    /// <summary>
    /// The registry's own lifecycle attributes (CityTwin's namespace). They are curated in the registry: a replace
    /// (PUT, upsert) whose payload does not carry them keeps them; delete one explicitly to clear it.
    /// </summary>
    public static readonly FrozenSet<string> RegistryOwned = CityTwinContext.Lifecycle.Values
        .Where(i => i.StartsWith(CityTwinTerms.Namespace, StringComparison.Ordinal)).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Lifecycle attributes every asset keeps once set: they can be updated, not deleted.</summary>
    public static readonly FrozenSet<string> Required = new[] { "name", "lifecycleStatus", "condition", "inspectedOn", "criticality", "publicationClass" }
        .Select(t => CityTwinContext.Lifecycle[t]).ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> SimpleMembers = new[] { "type", "value", "unitCode", "createdAt", "modifiedAt" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether an attribute of a catalogue-typed entity may be deleted (the required lifecycle ones may not).</summary>
    public static void EnsureDeletable(NgsiEntity entity, string iri, string name)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (Required.Contains(iri) && entity.Types.Count > 0 && AssetTypeCatalog.Find(entity.Types[0]) is not null)
        {
            throw NgsiLdException.BadData($"'{name}' is kept by the registry for every {entity.Types[0]} asset: update it instead of deleting it.");
        }
    }

    /// <summary>A draft of the lifecycle columns for a full write: the optional ones start empty, so an absent attribute clears them.</summary>
    public static AssetDraft StartDraft(Asset asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        return new AssetDraft(1)
        {
            Id = asset.Id.Value,
            Type = asset.Type,
            Description = Optional.Of<string>(null),
            Address = Optional.Of<string>(null),
            Department = Optional.Of<string>(null),
            District = Optional.Of<string>(null),
            InstalledOn = Optional.Of<DateOnly?>(null),
            ExpectedLifeYears = Optional.Of<int?>(null),
            ReplacementCost = Optional.Of<decimal?>(null),
        };
    }

    /// <summary>
    /// Takes one attribute onto a catalogue asset: a lifecycle column or a property of the type. False when the
    /// attribute is neither (the caller keeps it whole, as for generic types).
    /// </summary>
    public static bool TryTake(AssetDraft draft, Asset asset, string iri, List<JsonObject> instances)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(asset);
        ArgumentNullException.ThrowIfNull(instances);
        var first = Default(instances);
        if (LifecycleField.TryGetValue(iri, out var field))
        {
            TakeLifecycle(draft, asset, iri, field, instances, first);
            return true;
        }

        if (asset.Type.FindAttribute(iri) is not { Kind: AttributeKind.Property } definition || definition.Iri != iri)
        {
            return false;
        }

        var value = first["value"] is { } main ? Check(definition, main, first["unitCode"]?.GetValue<string>()) : null;
        // The registry records a defined unit on every number: a number given without it is kept as given.
        var unitAdded = definition.UnitCode is not null && value is { UnitCode: null, Number: not null };
        if (value is not null && !unitAdded && instances.Count == 1 && IsSimple(first) && SameJson(Strip(Render(value, definition.IsList)), Strip(first)))
        {
            asset.SetAttribute(iri, value);
        }
        else
        {
            asset.SetAttribute(iri, AttributeValue.OfNgsi(Serialize(instances)));
        }

        return true;
    }

    /// <summary>Applies the lifecycle columns taken from the entity (domain rules checked by the asset).</summary>
    public static void Finish(AssetDraft draft, Asset asset, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.Issues.FirstOrDefault(i => !i.Warning) is { } issue)
        {
            throw NgsiLdException.BadData($"{issue.Field}: {issue.Reason}");
        }

        draft.ApplyTo(asset, now, DateOnly.FromDateTime(now.UtcDateTime));
    }

    private static void TakeLifecycle(AssetDraft draft, Asset asset, string iri, string field, List<JsonObject> instances, JsonObject first)
    {
        var value = first["value"];
        var term = CityTwinContext.Compact(iri);
        var simple = instances.Count == 1 && IsSimple(first);
        if (field is "name" or "description" or "address")
        {
            // Smart Data Models terms: a plain text is the column; anything richer (a PostalAddress, a
            // LanguageProperty, sub-attributes) is kept whole and the column holds its text.
            var projected = Projection(field, instances);
            if (!(simple && (value is JsonValue || (field == "address" && IsStreetOnly(value)))))
            {
                asset.SetAttribute(iri, AttributeValue.OfNgsi(Serialize(instances)));
            }

            if (projected is not null || field != "name")
            {
                Set(draft, field, term, projected ?? "");
            }

            return;
        }

        if (value is not JsonValue primitive)
        {
            throw NgsiLdException.BadData($"{term}: the registry's {term} is a Property with a single value.");
        }

        Set(draft, field, term, primitive.GetValueKind() == JsonValueKind.String ? primitive.GetValue<string>() : primitive.ToJsonString());
    }

    private static void Set(AssetDraft draft, string field, string term, string text)
    {
        try
        {
            ImportTargets.SetLifecycle(draft, field, text);
        }
        catch (FormatException e)
        {
            throw NgsiLdException.BadData($"{term}: {e.Message}");
        }
    }

    /// <summary>The registry's text for a kept name, description or address (null when it has none).</summary>
    public static string? Projection(string field, List<JsonObject> instances)
    {
        var first = Default(instances);
        var value = first["value"] ?? (first["languageMap"] is JsonObject map ? map.FirstOrDefault().Value : null);
        return value switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => Clip(v.GetValue<string>(), field),
            JsonObject o when field == "address" => Clip(NgsiLdImportReader.FormatAddress(JsonSerializer.SerializeToElement(o)), field),
            _ => null,
        };
    }

    private static string Clip(string text, string field)
    {
        var max = field switch { "name" => Asset.MaxNameLength, "address" => Asset.MaxAddressLength, _ => Asset.MaxDescriptionLength };
        var line = field == "description" ? text : new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);
        return line.Length <= max ? line : line[..max];
    }

    private static bool IsStreetOnly(JsonNode? value) =>
        value is JsonObject o && o.Count == 1 && o["streetAddress"] is JsonValue s && s.GetValueKind() == JsonValueKind.String;

    /// <summary>Checks a value against the definition; the typed value when it is a single one, null for a list of several.</summary>
    private static AttributeValue? Check(AttributeDefinition definition, JsonNode main, string? unitCode)
    {
        try
        {
            if (main is JsonArray items && (items.Count != 1 || !definition.IsList))
            {
                if (!definition.IsList || items.Count == 0)
                {
                    throw new FormatException($"{definition.Label} holds a single value, not a list.");
                }

                foreach (var item in items)
                {
                    definition.Validate(ImportValues.FromJson(JsonSerializer.SerializeToElement(item), definition, unitCode));
                }

                return null;
            }

            var value = ImportValues.FromJson(JsonSerializer.SerializeToElement(main), definition, unitCode);
            definition.Validate(value);
            return value;
        }
        catch (Exception e) when (e is FormatException or DomainException or InvalidOperationException)
        {
            throw NgsiLdException.BadData($"{definition.Term}: {e.Message}");
        }
    }

    /// <summary>The instance the registry would write for a typed value (the API's read form).</summary>
    public static JsonObject Render(AttributeValue value, bool list)
    {
        ArgumentNullException.ThrowIfNull(value);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer))
        {
            Data.AssetMapper.WriteValue(w, value);
        }

        var node = JsonNode.Parse(buffer.WrittenSpan);
        if (list && node is not JsonArray)
        {
            node = new JsonArray(node);
        }

        var instance = new JsonObject { ["type"] = NgsiTerms.Property, ["value"] = node };
        if (value.UnitCode is { } unit)
        {
            instance["unitCode"] = unit;
        }

        return instance;
    }

    private static JsonObject Default(List<JsonObject> instances) => instances.FirstOrDefault(i => i["datasetId"] is null) ?? instances[0];

    private static bool IsSimple(JsonObject instance) =>
        instance["type"]?.GetValue<string>() == NgsiTerms.Property && instance.All(m => SimpleMembers.Contains(m.Key));

    private static JsonObject Strip(JsonObject instance)
    {
        var copy = (JsonObject)instance.DeepClone();
        copy.Remove("createdAt");
        copy.Remove("modifiedAt");
        return copy;
    }

    private static string Serialize(List<JsonObject> instances) =>
        instances.Count == 1 ? instances[0].ToJsonString() : new JsonArray([.. instances.Select(i => i.DeepClone())]).ToJsonString();

    /// <summary>JSON equality with numbers compared by value (10 and 10.0 are the same number).</summary>
    public static bool SameJson(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => true,
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(m => y.TryGetPropertyValue(m.Key, out var other) && SameJson(m.Value, other)),
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => SameJson(p.First, p.Second)),
        (JsonValue x, JsonValue y) when x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number =>
            NgsiTerms.Number(x) == NgsiTerms.Number(y),
        (JsonValue x, JsonValue y) => x.ToJsonString() == y.ToJsonString(),
        _ => false,
    };
}
