using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using CityTwin.Domain;
using CityTwin.Domain.Assets;
using CityTwin.Domain.Vocabulary;
using CityTwin.Web.Features.Geo;
using CityTwin.Web.Features.Interop;
using CityTwin.Web.Features.JsonLd;

namespace CityTwin.Web.Features.Import;

/// <summary>The whole file cannot be imported (unreadable, not JSON, unknown CRS…): nothing is written.</summary>
public sealed class ImportFileException(string message) : Exception(message);

/// <summary>
/// Reads NGSI-LD entities — normalized, concise or simplified (key-values), also NGSI-v2 — from a JSON array, a
/// single entity or NDJSON, expands their terms with the entity's <c>@context</c> (or the Link / chosen context, else
/// CityTwin's), validates Smart Data Models payloads against the official schema and turns each into an
/// <see cref="AssetDraft"/>.
/// </summary>
public sealed class NgsiLdImportReader(ContextResolver contexts, SdmSchemas schemas)
{
    private const string NgsiLd = "https://uri.etsi.org/ngsi-ld/";

    private static readonly FrozenSet<string> Skipped = new[]
    {
        "id", "type", "@id", "@type", "@context", "scope", "createdAt", "modifiedAt", "deletedAt",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Lifecycle IRIs (CityTwin's context plus the common aliases other publishers use) → lifecycle field.</summary>
    private static readonly FrozenDictionary<string, string> Lifecycle = CityTwinContext.Lifecycle
        .Select(l => (Iri: l.Value, Field: l.Key))
        .Append((Iri: "http://purl.org/dc/terms/description", Field: "description"))
        .Append((Iri: NgsiLd + "name", Field: "name"))
        .Append((Iri: NgsiLd + "description", Field: "description"))
        .Append((Iri: "https://schema.org/name", Field: "name"))
        .Append((Iri: "https://schema.org/address", Field: "address"))
        .DistinctBy(l => l.Iri)
        .ToFrozenDictionary(l => l.Iri, l => l.Field, StringComparer.Ordinal);

    /// <summary>Parses the file into entities; a file that is not JSON (or NDJSON) is refused as a whole.</summary>
    public static IReadOnlyList<JsonElement> ReadEntities(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        if (span.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            var root = doc.RootElement.Clone();
            return root.ValueKind switch
            {
                JsonValueKind.Object when root.TryGetProperty("type", out var t) && t.GetString() == "FeatureCollection" &&
                    root.TryGetProperty("features", out var features) && features.ValueKind == JsonValueKind.Array => [.. features.EnumerateArray()],
                JsonValueKind.Array => [.. root.EnumerateArray()],
                JsonValueKind.Object => [root],
                _ => throw new ImportFileException("An NGSI-LD file holds an entity object, an array of entities or one entity per line (NDJSON)."),
            };
        }
        catch (JsonException whole)
        {
            // NDJSON: one entity per line
            var lines = System.Text.Encoding.UTF8.GetString(bytes.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (lines.Length < 2 || !lines.All(l => l.StartsWith('{')))
            {
                throw new ImportFileException($"The file is not valid JSON: {whole.Message}");
            }

            var entities = new List<JsonElement>(lines.Length);
            for (var i = 0; i < lines.Length; i++)
            {
                try
                {
                    using var doc = JsonDocument.Parse(lines[i]);
                    entities.Add(doc.RootElement.Clone());
                }
                catch (JsonException e)
                {
                    throw new ImportFileException($"Line {i + 1} of the NDJSON file is not valid JSON: {e.Message}");
                }
            }

            return entities;
        }
    }

    /// <summary>Reads one entity (row is its 1-based position in the file).</summary>
    public async Task<AssetDraft> ReadAsync(JsonElement entity, int row, ImportRequest request, CrsTransform crs, CancellationToken ct)
    {
        var draft = new AssetDraft(row);
        entity = FromFeature(entity);
        if (entity.ValueKind != JsonValueKind.Object)
        {
            draft.Error("entity", Short(entity), "An entity is a JSON object.");
            return draft;
        }

        if (!entity.TryGetProperty("id", out var idElement) && !entity.TryGetProperty("@id", out idElement) || idElement.ValueKind != JsonValueKind.String)
        {
            draft.Error("id", null, "The entity has no \"id\".");
            return draft;
        }

        var id = idElement.GetString()!;
        JsonLdContext context;
        var hasOwnContext = entity.TryGetProperty("@context", out var ownContext);
        try
        {
            context = hasOwnContext ? await contexts.ResolveAsync(ownContext, ct)
                : request.ContextUrl is { Length: > 0 } link ? await contexts.ResolveUrlAsync(link, ct)
                : contexts.CityTwinDefault;
        }
        catch (JsonLdException e)
        {
            draft.Error("@context", hasOwnContext ? Short(ownContext) : request.ContextUrl, e.Message);
            return draft;
        }

        if (!entity.TryGetProperty("type", out var typeElement) && !entity.TryGetProperty("@type", out typeElement))
        {
            draft.Error("type", null, "The entity has no \"type\".");
            return draft;
        }

        var typeTerm = typeElement.ValueKind == JsonValueKind.Array && typeElement.GetArrayLength() > 0 ? typeElement[0].GetString() : typeElement.GetString();
        var typeIri = typeTerm is null ? null : context.Expand(typeTerm);
        var type = AssetTypeCatalog.All.FirstOrDefault(t => t.Iri == typeIri) ?? (typeTerm is null ? null : AssetTypeCatalog.Find(typeTerm));
        if (type is null)
        {
            draft.Error("type", typeTerm, $"'{typeTerm}' is not an asset type of the registry (types: {string.Join(", ", AssetTypeCatalog.All.Select(t => t.Name))}).");
            return draft;
        }

        if (request.AssetType is { Length: > 0 } expected && expected != type.Name)
        {
            draft.Error("type", typeTerm, $"The import expects {expected} entities; this one is a {type.Name}.");
            return draft;
        }

        if (!IsUri(id))
        {
            // NGSI-v2 ids ("streetlight:guadalajara:4567", "FlowerBed-345") become URNs of the entity's type
            id = $"urn:ngsi-ld:{type.Name}:{id}";
        }

        if (!AssetId.IsValid(id, out var idError))
        {
            draft.Error("id", id, idError);
            return draft;
        }

        draft.Id = id;
        draft.Type = type;
        draft.FallbackName = $"{type.Label} {LocalPart(id, type.Name)}";
        if (request.ValidateSchemas && schemas.HasSchema(type.Name) && !IsCityTwinPayload(hasOwnContext ? ownContext : default, request.ContextUrl))
        {
            using var keyValues = JsonDocument.Parse(SdmSchemas.ToKeyValues(entity));
            foreach (var (path, message) in schemas.Validate(type.Name, keyValues.RootElement))
            {
                draft.Error(path.TrimStart('/') is { Length: > 0 } field ? field : "entity", null, $"Smart Data Models schema of {type.Name}: {message}");
            }
        }

        foreach (var member in entity.EnumerateObject())
        {
            if (Skipped.Contains(member.Name))
            {
                continue;
            }

            try
            {
                ReadMember(draft, type, context.Expand(member.Name), member.Name, member.Value, crs);
            }
            catch (Exception e) when (e is FormatException or DomainException or InvalidOperationException or JsonException or KeyNotFoundException)
            {
                draft.Error(member.Name, Short(member.Value), e.Message);
            }
        }

        return draft;
    }

    /// <summary>An NGSI-LD id: a URN or an http(s) IRI (NGSI-v2 ids such as "streetlight:guadalajara:4567" are not).</summary>
    private static bool IsUri(string id) =>
        id.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) || id.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
        id.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    /// <summary>An entity in the NGSI-LD GeoJSON representation (a Feature) back in entity form.</summary>
    private static JsonElement FromFeature(JsonElement entity)
    {
        if (entity.ValueKind != JsonValueKind.Object || !entity.TryGetProperty("type", out var t) || t.GetString() != "Feature" ||
            !entity.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return entity;
        }

        var node = System.Text.Json.Nodes.JsonNode.Parse(properties.GetRawText())!.AsObject();
        if (entity.TryGetProperty("id", out var id))
        {
            node["id"] = System.Text.Json.Nodes.JsonNode.Parse(id.GetRawText());
        }

        if (!node.ContainsKey("location") && entity.TryGetProperty("geometry", out var geometry) && geometry.ValueKind == JsonValueKind.Object)
        {
            node["location"] = System.Text.Json.Nodes.JsonNode.Parse(geometry.GetRawText());
        }

        if (entity.TryGetProperty("@context", out var context))
        {
            node["@context"] = System.Text.Json.Nodes.JsonNode.Parse(context.GetRawText());
        }

        using var doc = JsonDocument.Parse(node.ToJsonString());
        return doc.RootElement.Clone();
    }

    private static bool IsCityTwinPayload(JsonElement ownContext, string? link)
    {
        static bool Mentions(string? s) => s?.Contains(CityTwinContext.Path, StringComparison.Ordinal) == true;
        return ownContext.ValueKind switch
        {
            JsonValueKind.String => Mentions(ownContext.GetString()),
            JsonValueKind.Array => ownContext.EnumerateArray().Any(c => c.ValueKind == JsonValueKind.String && Mentions(c.GetString())),
            _ => Mentions(link) || (ownContext.ValueKind == JsonValueKind.Undefined && link is null),
        };
    }

    private static string LocalPart(string id, string typeName)
    {
        var marker = $":{typeName}:";
        var at = id.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        return at >= 0 ? id[(at + marker.Length)..] : id.Replace("urn:ngsi-ld:", "", StringComparison.Ordinal);
    }

    /// <summary>Reads one attribute (any NGSI-LD shape) that is not the location.</summary>
    internal static void ReadAttribute(AssetDraft draft, AssetType type, string iri, string term, JsonElement raw) =>
        ReadMember(draft, type, iri, term, raw, Geo.CoordinateSystems.ToWgs84(Geo.CoordinateSystems.Wgs84));

    private static void ReadMember(AssetDraft draft, AssetType type, string iri, string term, JsonElement raw, CrsTransform crs)
    {
        var attribute = Attribute.Of(raw);
        if (attribute.Multiple)
        {
            draft.Warn(term, null, "Several instances (datasetId) of this attribute: the first one is kept.");
        }

        if (iri == NgsiLd + "location" || (attribute.Kind == AttributeShape.Geo && term == "location"))
        {
            var geometry = ImportGeometry.ToWgs84(ImportGeometry.FromGeoJson(attribute.Value), crs);
            draft.Geometry = geometry;
            return;
        }

        if (Lifecycle.TryGetValue(iri, out var field))
        {
            ImportTargets.SetLifecycle(draft, ImportTargets.LifecycleKey(field) ?? field, attribute.Value.ValueKind == JsonValueKind.String ? attribute.Value.GetString()!
                : field == "address" && attribute.Value.ValueKind == JsonValueKind.Object ? FormatAddress(attribute.Value)
                : attribute.Value.ValueKind == JsonValueKind.Null ? "" : attribute.Value.GetRawText());
            return;
        }

        var definition = type.FindAttribute(iri);
        var isLink = attribute.Kind == AttributeShape.Relationship || definition?.Kind == AttributeKind.Relationship ||
                     (definition is null && term.StartsWith("ref", StringComparison.Ordinal) && LooksLikeIds(attribute.Value));
        if (isLink)
        {
            var targets = attribute.Value.ValueKind == JsonValueKind.Array
                ? attribute.Value.EnumerateArray().Select(t => t.GetString() ?? throw new FormatException("A relationship object is an entity id."))
                : [attribute.Value.GetString() ?? throw new FormatException("A relationship object is an entity id.")];
            var list = new List<string>();
            foreach (var given in targets)
            {
                // NGSI-v2 payloads point at v2 ids ("wastecontainer-Osuna-100"): keep them as URNs
                var target = IsUri(given) ? given : "urn:ngsi-ld:" + given;
                if (!AssetId.IsValid(target, out var error))
                {
                    throw new FormatException($"'{target}' is not an entity id: {error}");
                }

                list.Add(target);
            }

            draft.Links[definition?.Iri ?? iri] = list;
            return;
        }

        if (attribute.Value.ValueKind == JsonValueKind.Null)
        {
            draft.Attributes[definition?.Iri ?? iri] = null;
            return;
        }

        var value = ImportValues.FromJson(attribute.Value, definition, attribute.UnitCode);
        if (attribute.Value.ValueKind == JsonValueKind.String && definition?.DataType is AttributeDataType.Number or AttributeDataType.Integer or AttributeDataType.Boolean)
        {
            draft.Warn(term, attribute.Value.GetString(), $"{definition.Label} is a {definition.DataType.ToString().ToLowerInvariant()} written as text; stored as {value}.");
        }

        draft.Attributes[definition?.Iri ?? iri] = value;
    }

    private static bool LooksLikeIds(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!.StartsWith("urn:", StringComparison.OrdinalIgnoreCase),
        JsonValueKind.Array => value.GetArrayLength() > 0 && value.EnumerateArray().All(LooksLikeIds),
        _ => false,
    };

    /// <summary>A Smart Data Models PostalAddress object as one line of text (street, postcode and locality, region, country).</summary>
    internal static string FormatAddress(JsonElement address)
    {
        string? Part(string name) => address.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        var locality = string.Join(' ', new[] { Part("postalCode"), Part("addressLocality") }.Where(p => !string.IsNullOrWhiteSpace(p)));
        return string.Join(", ", new[] { Part("streetAddress"), locality, Part("addressRegion"), Part("addressCountry") }.Where(p => !string.IsNullOrWhiteSpace(p)));
    }

    private static string Short(JsonElement e)
    {
        var raw = e.ValueKind == JsonValueKind.Undefined ? "" : e.GetRawText();
        return raw.Length > 120 ? raw[..120] + "…" : raw;
    }

    private enum AttributeShape
    {
        Property,
        Relationship,
        Geo,
    }

    /// <summary>An attribute in any of the NGSI-LD / NGSI-v2 shapes, reduced to its value.</summary>
    private readonly record struct Attribute(AttributeShape Kind, JsonElement Value, string? UnitCode, bool Multiple)
    {
        private static readonly FrozenSet<string> GeometryTypes = new[] { "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon" }.ToFrozenSet();

        public static Attribute Of(JsonElement raw)
        {
            if (raw.ValueKind == JsonValueKind.Array && raw.GetArrayLength() > 0 && raw[0].ValueKind == JsonValueKind.Object &&
                raw[0].TryGetProperty("type", out var first) && first.GetString() is "Property" or "Relationship" or "GeoProperty")
            {
                return Of(raw[0]) with { Multiple = raw.GetArrayLength() > 1 };
            }

            if (raw.ValueKind != JsonValueKind.Object)
            {
                return new Attribute(AttributeShape.Property, raw, null, false);
            }

            var unit = raw.TryGetProperty("unitCode", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            if (raw.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String)
            {
                var type = t.GetString()!;
                switch (type)
                {
                    case "Relationship" or "ListRelationship" when raw.TryGetProperty("object", out var o) || raw.TryGetProperty("objectList", out o):
                        return new Attribute(AttributeShape.Relationship, o, null, false);
                    case "Relationship" when raw.TryGetProperty("value", out var v2): // NGSI-v2
                        return new Attribute(AttributeShape.Relationship, v2, null, false);
                    case "GeoProperty" or "geo:json" when raw.TryGetProperty("value", out var g):
                        return new Attribute(AttributeShape.Geo, g, null, false);
                    case "ListProperty" when raw.TryGetProperty("valueList", out var list):
                        return new Attribute(AttributeShape.Property, list, unit, false);
                    case "LanguageProperty" when raw.TryGetProperty("languageMap", out var map):
                        return new Attribute(AttributeShape.Property, map, null, false);
                    case "JsonProperty" when raw.TryGetProperty("json", out var json):
                        return new Attribute(AttributeShape.Property, json, null, false);
                    case "VocabProperty" when raw.TryGetProperty("vocab", out var vocab):
                        return new Attribute(AttributeShape.Property, vocab, null, false);
                    case var _ when GeometryTypes.Contains(type) && raw.TryGetProperty("coordinates", out _):
                        return new Attribute(AttributeShape.Geo, raw, null, false);
                    case var _ when raw.TryGetProperty("value", out var value): // NGSI-LD Property or NGSI-v2 typed attribute
                        return new Attribute(AttributeShape.Property, value, unit, false);
                }

                return new Attribute(AttributeShape.Property, raw, null, false);
            }

            if (raw.TryGetProperty("value", out var concise))
            {
                return new Attribute(AttributeShape.Property, concise, unit, false);
            }

            if (raw.TryGetProperty("object", out var conciseObject))
            {
                return new Attribute(AttributeShape.Relationship, conciseObject, null, false);
            }

            return new Attribute(AttributeShape.Property, raw, null, false);
        }
    }
}
