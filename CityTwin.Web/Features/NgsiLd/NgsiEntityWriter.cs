using System.Text.Json;
using System.Text.Json.Nodes;
using CityTwin.Web.Features.JsonLd;

namespace CityTwin.Web.Features.NgsiLd;

public enum NgsiFormat
{
    Normalized,
    Concise,
    Simplified,
}

/// <summary>How to represent entities in a response: format, system attributes, projections, languages, GeoJSON, @context.</summary>
public sealed record NgsiRepresentation(NgsiFormat Format, bool SysAttrs, JsonLdContext Context, JsonNode? BodyContext)
{
    /// <summary><c>attrs</c>: the attribute IRIs to show (null: all).</summary>
    public IReadOnlySet<string>? Attrs { get; init; }

    /// <summary><c>pick</c>: core member names and attribute IRIs to show (null: all).</summary>
    public IReadOnlySet<string>? Pick { get; init; }

    /// <summary><c>omit</c>: core member names and attribute IRIs to leave out.</summary>
    public IReadOnlySet<string>? Omit { get; init; }

    /// <summary><c>lang</c>: language preferences for LanguageProperties (tag, weight), best first; null: the whole map.</summary>
    public IReadOnlyList<string>? Languages { get; init; }

    /// <summary>GeoJSON representation: the IRI of the GeoProperty that is the Feature's geometry; null: not GeoJSON.</summary>
    public string? GeometryProperty { get; init; }

    /// <summary><c>datasetId</c> (4.5.5): only attribute instances of these datasets (<c>@none</c>: the default instance); null: all.</summary>
    public IReadOnlySet<string>? DatasetIds { get; init; }

    /// <summary>Linked-entity retrieval (4.5.23): <c>inline</c> or <c>flat</c>; null: none.</summary>
    public string? Join { get; init; }

    /// <summary>How many relationship hops linked-entity retrieval follows from here (0: none).</summary>
    public int JoinLevel { get; init; }

    /// <summary>The linked entities fetched for this answer, by id (inline: written inside the relationships).</summary>
    public IReadOnlyDictionary<string, NgsiEntity>? Linked { get; init; }

    /// <summary>The whole pick expression, names expanded: its braced parts project the linked entities.</summary>
    public NgsiProjectionLevel? PickTree { get; init; }

    /// <summary>The whole omit expression, names expanded.</summary>
    public NgsiProjectionLevel? OmitTree { get; init; }

    /// <summary>The representation of the entities linked through <paramref name="iri"/>, one hop further.</summary>
    public NgsiRepresentation Linking(string iri)
    {
        var pick = PickTree?.Children.GetValueOrDefault(iri);
        var omit = OmitTree?.Children.GetValueOrDefault(iri);
        return this with
        {
            Attrs = null,
            Pick = pick?.Names,
            Omit = omit?.Names.Where(n => !omit.Children.ContainsKey(n)).ToHashSet(StringComparer.Ordinal),
            PickTree = pick,
            OmitTree = omit,
            BodyContext = null,
            GeometryProperty = null,
            JoinLevel = JoinLevel - 1,
        };
    }

    public bool ShowsCore(string member) => (Pick is null || Pick.Contains(member)) && (Omit is null || !Omit.Contains(member));

    public bool ShowsAttribute(string iri) =>
        (Attrs is null || Attrs.Contains(iri)) && (Pick is null || Pick.Contains(iri)) && (Omit is null || !Omit.Contains(iri));

    /// <summary>Reads a <c>lang</c> parameter (as Accept-Language: tags with q weights, * for any), best first.</summary>
    public static IReadOnlyList<string>? ParseLanguages(string? lang)
    {
        if (string.IsNullOrWhiteSpace(lang))
        {
            return null;
        }

        var ranked = new List<(string Tag, double Q, int Order)>();
        foreach (var (part, order) in lang.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select((p, i) => (p, i)))
        {
            var pieces = part.Split(';', StringSplitOptions.TrimEntries);
            var q = 1.0;
            if (pieces.Length > 1 && pieces[1].StartsWith("q=", StringComparison.Ordinal) &&
                !double.TryParse(pieces[1][2..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out q))
            {
                throw NgsiLdException.BadData($"lang: '{part}' has an invalid weight.");
            }

            ranked.Add((pieces[0], q, order));
        }

        return [.. ranked.OrderByDescending(r => r.Q).ThenBy(r => r.Order).Select(r => r.Tag)];
    }

    /// <summary>Reads <c>format</c> and <c>options</c> (format wins; unknown values are InvalidRequest, 6.3.2).</summary>
    public static (NgsiFormat Format, bool SysAttrs) ParseOptions(string? format, string? options)
    {
        var result = NgsiFormat.Normalized;
        var sysAttrs = false;
        foreach (var option in (options ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (option)
            {
                case "keyValues" or "simplified":
                    result = NgsiFormat.Simplified;
                    break;
                case "concise":
                    result = NgsiFormat.Concise;
                    break;
                case "normalized":
                    result = NgsiFormat.Normalized;
                    break;
                case "sysAttrs":
                    sysAttrs = true;
                    break;
                case "noOverwrite" or "replace" or "update":
                    break;
                default:
                    throw NgsiLdException.Invalid($"Unknown option '{option}' (options: keyValues, simplified, concise, normalized, sysAttrs).");
            }
        }

        if (format is not null)
        {
            result = format switch
            {
                "keyValues" or "simplified" => NgsiFormat.Simplified,
                "concise" => NgsiFormat.Concise,
                "normalized" => NgsiFormat.Normalized,
                _ => throw NgsiLdException.Invalid($"Unknown format '{format}' (formats: normalized, concise, simplified, keyValues)."),
            };
        }

        return (result, sysAttrs);
    }
}

/// <summary>Writes <see cref="NgsiEntity"/> values compacted with the caller's context, in the requested format.</summary>
/// <summary>One level of a pick/omit expression with names expanded (core members as they are).</summary>
public sealed record NgsiProjectionLevel(IReadOnlySet<string> Names, IReadOnlyDictionary<string, NgsiProjectionLevel> Children);

public static class NgsiEntityWriter
{
    public static void Write(Utf8JsonWriter w, NgsiEntity entity, NgsiRepresentation how)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(how);
        if (how.GeometryProperty is not null)
        {
            WriteFeature(w, entity, how);
            return;
        }

        w.WriteStartObject();
        WriteMembers(w, entity, how);
        if (how.BodyContext is not null)
        {
            w.WritePropertyName("@context");
            how.BodyContext.WriteTo(w);
        }

        w.WriteEndObject();
    }

    /// <summary>The GeoJSON representation (4.5.16): a Feature whose geometry is the chosen GeoProperty's value.</summary>
    private static void WriteFeature(Utf8JsonWriter w, NgsiEntity entity, NgsiRepresentation how)
    {
        w.WriteStartObject();
        w.WriteString("id", entity.Id);
        w.WriteString("type", "Feature");
        w.WritePropertyName("geometry");
        var geometry = entity.Attributes.TryGetValue(how.GeometryProperty!, out var geo)
            ? (geo.FirstOrDefault(i => i["datasetId"] is null) ?? geo[0]) is { } g && g["type"]?.GetValue<string>() == NgsiTerms.GeoProperty ? g["value"] : null
            : null;
        if (geometry is null)
        {
            w.WriteNullValue();
        }
        else
        {
            geometry.WriteTo(w);
        }

        w.WriteStartObject("properties");
        WriteMembers(w, entity, how with { Omit = how.Omit is null ? new HashSet<string> { "id" } : new HashSet<string>(how.Omit) { "id" } });
        w.WriteEndObject();
        if (how.BodyContext is not null)
        {
            w.WritePropertyName("@context");
            how.BodyContext.WriteTo(w);
        }

        w.WriteEndObject();
    }

    /// <summary>The members of an entity object: id, type, scope, system times and the shown attributes.</summary>
    private static void WriteMembers(Utf8JsonWriter w, NgsiEntity entity, NgsiRepresentation how)
    {
        if (how.ShowsCore("id"))
        {
            w.WriteString("id", entity.Id);
        }

        if (how.ShowsCore("type") && entity.Types.Count == 1)
        {
            w.WriteString("type", how.Context.Compact(entity.Types[0]));
        }
        else if (how.ShowsCore("type"))
        {
            w.WriteStartArray("type");
            foreach (var type in entity.Types)
            {
                w.WriteStringValue(how.Context.Compact(type));
            }

            w.WriteEndArray();
        }

        if (how.ShowsCore("scope") && entity.Scopes is { Count: > 0 } scopes)
        {
            if (scopes.Count == 1)
            {
                w.WriteString("scope", scopes[0]);
            }
            else
            {
                w.WriteStartArray("scope");
                scopes.ToList().ForEach(w.WriteStringValue);
                w.WriteEndArray();
            }
        }

        if (how.SysAttrs && how.Format != NgsiFormat.Simplified)
        {
            if (entity.CreatedAt is { } created)
            {
                w.WriteString("createdAt", Instant(created));
            }

            if (entity.ModifiedAt is { } modified)
            {
                w.WriteString("modifiedAt", Instant(modified));
            }
        }

        foreach (var (iri, all) in entity.Attributes)
        {
            if (!how.ShowsAttribute(iri))
            {
                continue;
            }

            var instances = how.DatasetIds is { } datasets
                ? all.Where(i => datasets.Contains(i["datasetId"] is JsonValue d && d.TryGetValue<string>(out var id) ? id : "@none")).ToList()
                : all;
            if (instances.Count == 0)
            {
                continue;
            }

            w.WritePropertyName(how.Context.Compact(iri));
            var linking = how is { Join: "inline", JoinLevel: > 0, Linked: not null } ? how.Linking(iri) : null;
            WriteAttribute(w, how.Languages is null ? instances : [.. instances.Select(i => InLanguage(i, how.Languages))], how, linking);
        }
    }

    /// <summary>
    /// A LanguageProperty seen through a <c>lang</c> filter: a Property holding the best matching language's string
    /// and its tag (<c>*</c> takes the first language). Other attributes are unchanged.
    /// </summary>
    private static JsonObject InLanguage(JsonObject instance, IReadOnlyList<string> languages)
    {
        if (instance["type"]?.GetValue<string>() != NgsiTerms.LanguageProperty || instance["languageMap"] is not JsonObject map || map.Count == 0)
        {
            return instance;
        }

        string? chosen = null;
        foreach (var tag in languages)
        {
            chosen = tag == "*" ? map.First().Key
                : map.Select(l => l.Key).FirstOrDefault(k => string.Equals(k, tag, StringComparison.OrdinalIgnoreCase))
                  ?? map.Select(l => l.Key).FirstOrDefault(k => k.StartsWith(tag + "-", StringComparison.OrdinalIgnoreCase));
            if (chosen is not null)
            {
                break;
            }
        }

        chosen ??= map.First().Key;
        var result = new JsonObject { ["type"] = NgsiTerms.Property, ["value"] = map[chosen]?.DeepClone(), ["lang"] = chosen };
        foreach (var (name, node) in instance)
        {
            if (name is not ("type" or "languageMap"))
            {
                result[name] = node?.DeepClone();
            }
        }

        return result;
    }

    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The linked entity an instance's <c>object</c> names, when inline join retrieved it.</summary>
    private static NgsiEntity? LinkedOf(JsonObject instance, NgsiRepresentation how) =>
        instance["type"]?.GetValue<string>() == NgsiTerms.Relationship && instance["object"] is JsonValue o && o.TryGetValue<string>(out var id) &&
        how.Linked is { } linked && linked.TryGetValue(id, out var entity) ? entity : null;

    private static void WriteAttribute(Utf8JsonWriter w, List<JsonObject> instances, NgsiRepresentation how, NgsiRepresentation? linking)
    {
        if (how.Format == NgsiFormat.Simplified && instances.Count > 1)
        {
            // Several instances, simplified: {"dataset": {"@none": v, "<datasetId>": v}}
            w.WriteStartObject();
            w.WriteStartObject("dataset");
            foreach (var instance in instances)
            {
                w.WritePropertyName(instance["datasetId"]?.GetValue<string>() ?? "@none");
                WriteSimplified(w, instance, how, linking);
            }

            w.WriteEndObject();
            w.WriteEndObject();
            return;
        }

        if (instances.Count > 1)
        {
            w.WriteStartArray();
        }

        foreach (var instance in instances)
        {
            if (how.Format == NgsiFormat.Simplified)
            {
                WriteSimplified(w, instance, how, linking);
            }
            else
            {
                WriteInstance(w, instance, how, linking);
            }
        }

        if (instances.Count > 1)
        {
            w.WriteEndArray();
        }
    }

    private static void WriteInstance(Utf8JsonWriter w, JsonObject instance, NgsiRepresentation how, NgsiRepresentation? linking = null)
    {
        var type = instance["type"]?.GetValue<string>() ?? NgsiTerms.Property;
        var concise = how.Format == NgsiFormat.Concise;
        if (concise && type == NgsiTerms.Property && instance.Count == 2 && instance["value"] is { } bare && bare is not JsonObject)
        {
            // Concise: a Property with nothing but a (non-object) value is the bare value.
            bare.WriteTo(w);
            return;
        }

        w.WriteStartObject();
        foreach (var (name, node) in instance)
        {
            if (name == "type" && concise && !(type == NgsiTerms.Property && IsGeometry(instance["value"])))
            {
                // Concise: the type follows from the members (a Property with a geometry value keeps it).
                continue;
            }

            if (NgsiTerms.SystemMembers.Contains(name) && !how.SysAttrs)
            {
                continue;
            }

            if (NgsiTerms.Members.Contains(name))
            {
                w.WritePropertyName(name);
                if (node is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    node.WriteTo(w);
                }

                continue;
            }

            // A sub-attribute (keyed by IRI): one instance or several.
            w.WritePropertyName(how.Context.Compact(name));
            var nested = node is JsonArray array ? array.OfType<JsonObject>().ToList() : [(JsonObject)node!];
            if (nested.Count > 1)
            {
                w.WriteStartArray();
            }

            foreach (var sub in nested)
            {
                WriteInstance(w, sub, how);
            }

            if (nested.Count > 1)
            {
                w.WriteEndArray();
            }
        }

        if (linking is not null && LinkedOf(instance, how) is { } linked)
        {
            // Inline join (4.5.23): the linked entity inside the relationship, one hop further.
            w.WritePropertyName("entity");
            Write(w, linked, linking);
        }

        w.WriteEndObject();
    }

    private static bool IsGeometry(JsonNode? value) =>
        value is JsonObject o && o["type"] is JsonValue t && t.TryGetValue<string>(out var name) &&
        NgsiTerms.GeometryTypes.Contains(name) && o["coordinates"] is JsonArray;

    /// <summary>The simplified (keyValues) form of one instance (4.5.4).</summary>
    private static void WriteSimplified(Utf8JsonWriter w, JsonObject instance, NgsiRepresentation how, NgsiRepresentation? linking)
    {
        if (linking is not null && LinkedOf(instance, how) is { } linked)
        {
            // Inline join, simplified: the relationship's value is the linked entity itself.
            Write(w, linked, linking);
            return;
        }

        var type = instance["type"]?.GetValue<string>() ?? NgsiTerms.Property;
        (string? Wrapper, string Member) shape = type switch
        {
            NgsiTerms.Relationship => (null, "object"),
            NgsiTerms.LanguageProperty => ("languageMap", "languageMap"),
            NgsiTerms.VocabProperty => ("vocab", "vocab"),
            NgsiTerms.JsonProperty => ("json", "json"),
            NgsiTerms.ListProperty => (null, "valueList"),
            NgsiTerms.ListRelationship => (null, "objectList"),
            _ => (null, "value"),
        };
        if (shape.Wrapper is not null)
        {
            w.WriteStartObject();
            w.WritePropertyName(shape.Wrapper);
        }

        if (instance[shape.Member] is { } value)
        {
            value.WriteTo(w);
        }
        else
        {
            w.WriteNullValue();
        }

        if (shape.Wrapper is not null)
        {
            w.WriteEndObject();
        }
    }
}
