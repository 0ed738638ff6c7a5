using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CityTwin.Domain.Assets;
using CityTwin.Web.Features.JsonLd;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>
/// An NGSI-LD entity in expanded form: id, type IRIs and attributes keyed by IRI, each a list of instances (one per
/// datasetId). An instance is a JSON object whose NGSI-LD members keep their keyword names (<c>type</c>, <c>value</c>,
/// <c>object</c>, <c>unitCode</c>, <c>observedAt</c>, <c>datasetId</c>, <c>languageMap</c>…) and whose sub-attributes are
/// keyed by IRI, recursively. This is what the registry stores for attributes it does not model (ADR 0010).
/// </summary>
public sealed class NgsiEntity
{
    public required string Id { get; init; }

    /// <summary>Type IRIs (an entity may have several; updates append).</summary>
    public required List<string> Types { get; init; }

    public List<string>? Scopes { get; set; }

    public Dictionary<string, List<JsonObject>> Attributes { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? ModifiedAt { get; init; }

    /// <summary>The registry version the entity was read at (its ETag); 0 for an entity not read from the registry.</summary>
    public long Version { get; init; }

    /// <summary>
    /// Set when the entity was built with only the attributes a scan of a selection tests and compares: the row it was
    /// built from, so the answered ones are rebuilt whole from the very row that was tested (not a newer one).
    /// </summary>
    internal Data.Records.AssetRecord? PartialOf { get; set; }
}

/// <summary>The NGSI-LD attribute types and the members that belong to the attribute itself (not sub-attributes).</summary>
public static class NgsiTerms
{
    public const string Property = "Property";
    public const string Relationship = "Relationship";
    public const string GeoProperty = "GeoProperty";
    public const string LanguageProperty = "LanguageProperty";
    public const string VocabProperty = "VocabProperty";
    public const string JsonProperty = "JsonProperty";
    public const string ListProperty = "ListProperty";
    public const string ListRelationship = "ListRelationship";

    public const string Location = "https://uri.etsi.org/ngsi-ld/location";
    public const string ObservationSpace = "https://uri.etsi.org/ngsi-ld/observationSpace";
    public const string OperationSpace = "https://uri.etsi.org/ngsi-ld/operationSpace";

    /// <summary>The NGSI-LD Null: as a value in an update, deletes the attribute.</summary>
    public const string Null = "urn:ngsi-ld:null";

    public static readonly IReadOnlySet<string> AttributeTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        Property, Relationship, GeoProperty, LanguageProperty, VocabProperty, JsonProperty, ListProperty, ListRelationship,
    };

    /// <summary>The GeoJSON geometry types a GeoProperty may hold (every RFC 7946 type but GeometryCollection).</summary>
    public static readonly IReadOnlySet<string> GeometryTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon",
    };

    /// <summary>Members of an attribute instance that are not sub-attributes (kept under their keyword names).</summary>
    public static readonly IReadOnlySet<string> Members = new HashSet<string>(StringComparer.Ordinal)
    {
        "type", "value", "object", "objectType", "unitCode", "observedAt", "datasetId", "languageMap", "vocab", "json",
        "valueList", "objectList", "createdAt", "modifiedAt", "deletedAt", "instanceId", "lang", "valueType", "expiresAt",
    };

    /// <summary>System members, set by the broker and shown only with <c>options=sysAttrs</c>.</summary>
    public static readonly IReadOnlySet<string> SystemMembers = new HashSet<string>(StringComparer.Ordinal)
    {
        "createdAt", "modifiedAt", "deletedAt", "instanceId",
    };

    /// <summary>A JSON number as a double, whatever CLR type the node was built from (int, long, decimal, double).</summary>
    public static double Number(JsonValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
    }

    /// <summary>The member that holds an attribute instance's value for its NGSI-LD type (object, languageMap, valueList…).</summary>
    public static JsonNode? MainValue(JsonObject attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        return attribute["type"]?.GetValue<string>() switch
        {
            Relationship => attribute["object"],
            LanguageProperty => attribute["languageMap"],
            VocabProperty => attribute["vocab"],
            JsonProperty => attribute["json"],
            ListProperty => attribute["valueList"],
            ListRelationship => attribute["objectList"],
            _ => attribute["value"],
        };
    }

    /// <summary>Entity members that are not attributes.</summary>
    public static readonly IReadOnlySet<string> EntityMembers = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "@id", "type", "@type", "scope", "@context", "createdAt", "modifiedAt", "deletedAt",
    };
}

/// <summary>
/// Reads NGSI-LD entities (normalized or concise) into <see cref="NgsiEntity"/> with a JSON-LD context, checking
/// them as the spec requires: every problem is a <see cref="NgsiLdException"/> (BadRequestData) naming the member.
/// </summary>
public static class NgsiEntityReader
{
    private const int MaxDepth = 8;

    /// <summary>Reads a whole entity; <paramref name="requireId"/> false for fragments (append, merge).</summary>
    /// <summary>
    /// Reads a whole entity; <paramref name="requireId"/> / <paramref name="requireType"/> false for fragments (append,
    /// update, merge), <paramref name="allowNull"/> true where the NGSI-LD Null deletes (update, merge): such an
    /// instance is marked <c>"@null": true</c>.
    /// </summary>
    public static NgsiEntity Read(JsonElement entity, JsonLdContext context, bool requireId = true, bool requireType = true, bool allowNull = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (entity.ValueKind != JsonValueKind.Object)
        {
            throw NgsiLdException.BadData("An entity is a JSON object.");
        }

        var id = "";
        if (entity.TryGetProperty("id", out var idElement) || entity.TryGetProperty("@id", out idElement))
        {
            id = idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : throw NgsiLdException.BadData("The entity id must be a string.");
            if (!AssetId.IsValid(id, out var error))
            {
                throw NgsiLdException.BadData(error);
            }
        }
        else if (requireId)
        {
            throw NgsiLdException.BadData("The entity has no id.");
        }

        var types = new List<string>();
        if (entity.TryGetProperty("type", out var typeElement) || entity.TryGetProperty("@type", out typeElement))
        {
            foreach (var term in typeElement.ValueKind switch
            {
                JsonValueKind.String => [typeElement.GetString()!],
                JsonValueKind.Array when typeElement.GetArrayLength() > 0 && typeElement.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String) =>
                    typeElement.EnumerateArray().Select(t => t.GetString()!).ToList(),
                _ => throw NgsiLdException.BadData("The entity type must be a string or a non-empty array of strings."),
            })
            {
                var iri = ExpandName(context, term, "type");
                if (!types.Contains(iri))
                {
                    types.Add(iri);
                }
            }
        }
        else if (requireType)
        {
            throw NgsiLdException.BadData("The entity has no type.");
        }

        List<string>? scopes = null;
        if (entity.TryGetProperty("scope", out var scope))
        {
            scopes = scope.ValueKind switch
            {
                JsonValueKind.String => [scope.GetString()!],
                JsonValueKind.Array when scope.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String) => [.. scope.EnumerateArray().Select(s => s.GetString()!)],
                _ => throw NgsiLdException.BadData("scope must be a string or an array of strings."),
            };
        }

        var result = new NgsiEntity { Id = id, Types = types, Scopes = scopes };
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in entity.EnumerateObject())
        {
            if (NgsiTerms.EntityMembers.Contains(member.Name))
            {
                continue;
            }

            var iri = ExpandName(context, member.Name, member.Name);
            if (seen.TryGetValue(iri, out var other))
            {
                throw NgsiLdException.BadData($"Attributes '{other}' and '{member.Name}' are the same attribute ({iri}) once expanded.");
            }

            seen[iri] = member.Name;
            result.Attributes[iri] = ReadInstances(member.Value, context, member.Name, 0, allowNull);
        }

        return result;
    }

    /// <summary>Reads one attribute (all its instances), e.g. the body of a partial attribute update.</summary>
    public static List<JsonObject> ReadAttribute(JsonElement value, JsonLdContext context, string name, bool allowNull = false) =>
        ReadInstances(value, context, name, 0, allowNull);

    /// <summary>
    /// The body of a partial attribute update that names no attribute type and no value: only members to change
    /// (observedAt, unitCode…) and sub-attributes, keyed as stored (sub-attributes expanded).
    /// </summary>
    public static JsonObject? ReadMemberFragment(JsonElement body, JsonLdContext context, string name)
    {
        if (body.ValueKind != JsonValueKind.Object || IsAttributeObject(body))
        {
            return null;
        }

        var fragment = new JsonObject();
        foreach (var member in body.EnumerateObject())
        {
            if (member.Name is "@context" or "createdAt" or "modifiedAt")
            {
                continue;
            }

            if (NgsiTerms.Members.Contains(member.Name))
            {
                fragment[member.Name] = JsonNode.Parse(member.Value.GetRawText());
                continue;
            }

            var nested = ReadInstances(member.Value, context, member.Name, 1);
            fragment[ExpandName(context, member.Name, member.Name)] = nested.Count == 1 ? nested[0] : new JsonArray([.. nested]);
        }

        return fragment.Count > 0 ? fragment : throw NgsiLdException.BadData($"The update of '{name}' is empty.");
    }

    /// <summary>An instance read from an NGSI-LD Null: it deletes the attribute (or its datasetId instance).</summary>
    public static bool IsNull(JsonObject instance) => instance["@null"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static bool IsNgsiNull(JsonElement main) =>
        main.ValueKind == JsonValueKind.String && main.GetString() == NgsiTerms.Null
        || main.ValueKind == JsonValueKind.Object && main.TryGetProperty("@none", out var none) && none.ValueKind == JsonValueKind.String && none.GetString() == NgsiTerms.Null
        || main.ValueKind == JsonValueKind.Array && main.GetArrayLength() == 1 && IsNgsiNull(main[0]);

    /// <summary>
    /// The segments of an attribute path (<c>attr.subAttr</c>, as q and orderBy write them), with full IRIs kept
    /// whole: a client without a context names attributes by IRI, and Smart Data Models IRIs hold dots
    /// (<c>https://smartdatamodels.org/dataModel.Streetlighting/powerRating.observedAt</c>). A segment that holds '/' or
    /// '#' (and starts no new IRI, "://") still belongs to an IRI begun before it (a segment with a scheme);
    /// sub-attribute names are terms or IRIs of their own.
    /// </summary>
    public static string[] PathSegments(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = new List<string>();
        foreach (var part in path.Split('.'))
        {
            if (segments.Count > 0 && segments[^1].Contains(':', StringComparison.Ordinal) && part.IndexOfAny(['/', '#']) >= 0
                && !part.Contains("://", StringComparison.Ordinal))
            {
                segments[^1] += "." + part;
            }
            else
            {
                segments.Add(part);
            }
        }

        return [.. segments];
    }

    /// <summary>Expands an attribute or type name; names that are not valid NGSI-LD names are refused.</summary>
    public static string ExpandName(JsonLdContext context, string term, string what)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(term);
        if (term.Length == 0 || term.Length > 256 || term[0] == '@' || term.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or '\'' or '=' or ';' or '(' or ')'))
        {
            throw NgsiLdException.BadData($"'{Short(term)}' is not a valid {(what == "type" ? "entity type" : "attribute name")}.");
        }

        var iri = context.Expand(term);
        if (iri.StartsWith('@') || !Uri.TryCreate(iri, UriKind.Absolute, out _))
        {
            throw NgsiLdException.BadData($"'{Short(term)}' does not expand to an IRI (it is {iri}): not a valid {(what == "type" ? "entity type" : "attribute name")}.");
        }

        return iri;
    }

    private static List<JsonObject> ReadInstances(JsonElement value, JsonLdContext context, string name, int depth, bool allowNull = false)
    {
        if (depth > MaxDepth)
        {
            throw NgsiLdException.BadData($"Attribute '{name}' nests sub-attributes more than {MaxDepth} levels deep.");
        }

        var instances = new List<JsonObject>();
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 && value.EnumerateArray().All(IsAttributeObject))
        {
            foreach (var item in value.EnumerateArray())
            {
                instances.Add(ReadInstance(item, context, name, depth, allowNull));
            }
        }
        else
        {
            instances.Add(ReadInstance(value, context, name, depth, allowNull));
        }

        var datasets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instance in instances)
        {
            var dataset = instance["datasetId"]?.GetValue<string>() ?? "@none";
            if (!datasets.Add(dataset))
            {
                throw NgsiLdException.BadData(dataset == "@none"
                    ? $"Attribute '{name}' has more than one default instance (without datasetId)."
                    : $"Attribute '{name}' has more than one instance with datasetId {dataset}.");
            }
        }

        return instances;
    }

    /// <summary>An object that is an NGSI-LD attribute (normalized or concise), not a plain JSON object value.</summary>
    private static bool IsAttributeObject(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && (e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && NgsiTerms.AttributeTypes.Contains(t.GetString()!)
            || e.TryGetProperty("value", out _) || e.TryGetProperty("object", out _) || e.TryGetProperty("languageMap", out _)
            || e.TryGetProperty("vocab", out _) || e.TryGetProperty("json", out _) || e.TryGetProperty("valueList", out _) || e.TryGetProperty("objectList", out _));

    private static JsonObject ReadInstance(JsonElement raw, JsonLdContext context, string name, int depth, bool allowNull)
    {
        if (allowNull && depth == 0 && IsNgsiNull(raw))
        {
            return new JsonObject { ["type"] = NgsiTerms.Property, ["@null"] = true };
        }

        if (!IsAttributeObject(raw))
        {
            // Concise: a bare value is a Property (a GeoJSON geometry a GeoProperty).
            CheckNotNull(raw, name);
            return new JsonObject { ["type"] = IsGeometry(raw) ? NgsiTerms.GeoProperty : NgsiTerms.Property, ["value"] = JsonNode.Parse(raw.GetRawText()) };
        }

        string type;
        if (raw.TryGetProperty("type", out var typeElement))
        {
            type = typeElement.ValueKind == JsonValueKind.String && NgsiTerms.AttributeTypes.Contains(typeElement.GetString()!)
                ? typeElement.GetString()!
                : throw NgsiLdException.BadData($"Attribute '{name}' has type {Short(typeElement.GetRawText())}; expected one of {string.Join(", ", NgsiTerms.AttributeTypes)}.");
        }
        else
        {
            type = raw.TryGetProperty("object", out _) ? NgsiTerms.Relationship
                : raw.TryGetProperty("languageMap", out _) ? NgsiTerms.LanguageProperty
                : raw.TryGetProperty("vocab", out _) ? NgsiTerms.VocabProperty
                : raw.TryGetProperty("json", out _) ? NgsiTerms.JsonProperty
                : raw.TryGetProperty("valueList", out _) ? NgsiTerms.ListProperty
                : raw.TryGetProperty("objectList", out _) ? NgsiTerms.ListRelationship
                : raw.TryGetProperty("value", out var v) && IsGeometry(v) ? NgsiTerms.GeoProperty
                : NgsiTerms.Property;
        }

        var instance = new JsonObject { ["type"] = type };
        var required = type switch
        {
            NgsiTerms.Relationship => "object",
            NgsiTerms.LanguageProperty => "languageMap",
            NgsiTerms.VocabProperty => "vocab",
            NgsiTerms.JsonProperty => "json",
            NgsiTerms.ListProperty => "valueList",
            NgsiTerms.ListRelationship => "objectList",
            _ => "value",
        };
        if (!raw.TryGetProperty(required, out var main))
        {
            throw NgsiLdException.BadData($"Attribute '{name}' is a {type} without '{required}'.");
        }

        if (allowNull && depth == 0 && IsNgsiNull(main))
        {
            var deletion = new JsonObject { ["type"] = type, ["@null"] = true };
            if (raw.TryGetProperty("datasetId", out var dataset) && dataset.ValueKind == JsonValueKind.String)
            {
                deletion["datasetId"] = dataset.GetString();
            }

            return deletion;
        }

        if (type != NgsiTerms.JsonProperty)
        {
            CheckNotNull(main, name);
        }

        CheckMain(type, main, name);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in raw.EnumerateObject())
        {
            switch (member.Name)
            {
                case "type":
                    continue;
                case "value" or "object" or "languageMap" or "vocab" or "json" or "valueList" or "objectList":
                    if (member.Name != required)
                    {
                        throw NgsiLdException.BadData($"Attribute '{name}' is a {type}: '{member.Name}' does not belong to it.");
                    }

                    instance[member.Name] = JsonNode.Parse(member.Value.GetRawText());
                    continue;
                case "unitCode" or "objectType" or "lang" or "valueType":
                    instance[member.Name] = member.Value.ValueKind == JsonValueKind.String || member.Name == "objectType"
                        ? JsonNode.Parse(member.Value.GetRawText())
                        : throw NgsiLdException.BadData($"'{member.Name}' of attribute '{name}' must be a string.");
                    continue;
                case "observedAt" or "expiresAt":
                    instance[member.Name] = member.Value.ValueKind == JsonValueKind.String && IsDateTime(member.Value.GetString()!)
                        ? member.Value.GetString()
                        : throw NgsiLdException.BadData($"'{member.Name}' of attribute '{name}' must be an ISO 8601 date-time.");
                    continue;
                case "datasetId":
                    instance["datasetId"] = member.Value.ValueKind == JsonValueKind.String && Uri.TryCreate(member.Value.GetString(), UriKind.Absolute, out _)
                        ? member.Value.GetString()
                        : throw NgsiLdException.BadData($"datasetId of attribute '{name}' must be a URI.");
                    continue;
                case "createdAt" or "modifiedAt" or "deletedAt" or "instanceId":
                    continue; // system members: set by the broker, never taken from the caller
                case "@context":
                    continue; // an attribute body's own context, already applied by the caller
            }

            var iri = ExpandName(context, member.Name, member.Name);
            if (seen.TryGetValue(iri, out var other))
            {
                throw NgsiLdException.BadData($"Sub-attributes '{other}' and '{member.Name}' of '{name}' are the same once expanded.");
            }

            seen[iri] = member.Name;
            var nested = ReadInstances(member.Value, context, member.Name, depth + 1);
            instance[iri] = nested.Count == 1 ? nested[0] : new JsonArray([.. nested]);
        }

        return instance;
    }

    private static void CheckNotNull(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            throw NgsiLdException.BadData($"Attribute '{name}' has a null value.");
        }
    }

    private static void CheckMain(string type, JsonElement main, string name)
    {
        switch (type)
        {
            case NgsiTerms.Relationship:
                if (!(main.ValueKind == JsonValueKind.String && IsUri(main.GetString()!)
                      || main.ValueKind == JsonValueKind.Array && main.GetArrayLength() > 0 && main.EnumerateArray().All(o => o.ValueKind == JsonValueKind.String && IsUri(o.GetString()!))))
                {
                    throw NgsiLdException.BadData($"The object of relationship '{name}' must be a URI or an array of URIs.");
                }

                break;
            case NgsiTerms.GeoProperty:
                if (!IsGeometry(main))
                {
                    throw NgsiLdException.BadData($"The value of GeoProperty '{name}' must be a GeoJSON geometry (Point, LineString, Polygon, Multi…; not GeometryCollection).");
                }

                break;
            case NgsiTerms.LanguageProperty:
                if (main.ValueKind != JsonValueKind.Object || !main.EnumerateObject().All(l => l.Value.ValueKind is JsonValueKind.String or JsonValueKind.Array))
                {
                    throw NgsiLdException.BadData($"The languageMap of '{name}' must be an object of language tag → string.");
                }

                break;
            case NgsiTerms.VocabProperty:
                if (main.ValueKind != JsonValueKind.String && !(main.ValueKind == JsonValueKind.Array && main.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String)))
                {
                    throw NgsiLdException.BadData($"The vocab of '{name}' must be a string or an array of strings.");
                }

                break;
            case NgsiTerms.ListProperty or NgsiTerms.ListRelationship:
                if (main.ValueKind != JsonValueKind.Array)
                {
                    throw NgsiLdException.BadData($"The list of '{name}' must be a JSON array.");
                }

                break;
        }
    }

    private static bool IsUri(string s) => AssetId.IsValid(s, out _);

    /// <summary>A GeoJSON geometry object of a type NGSI-LD allows, with coordinates.</summary>
    public static bool IsGeometry(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String &&
        NgsiTerms.GeometryTypes.Contains(t.GetString()!) && e.TryGetProperty("coordinates", out var c) && c.ValueKind == JsonValueKind.Array;

    private static bool IsDateTime(string s) =>
        s.Contains('T', StringComparison.Ordinal) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    private static string Short(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
