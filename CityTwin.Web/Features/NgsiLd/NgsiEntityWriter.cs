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

/// <summary>How to represent entities in a response: format, system attributes, attribute projection, @context.</summary>
public sealed record NgsiRepresentation(NgsiFormat Format, bool SysAttrs, IReadOnlySet<string>? Attrs, JsonLdContext Context, JsonNode? BodyContext)
{
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
public static class NgsiEntityWriter
{
    public static void Write(Utf8JsonWriter w, NgsiEntity entity, NgsiRepresentation how)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(how);
        w.WriteStartObject();
        w.WriteString("id", entity.Id);
        if (entity.Types.Count == 1)
        {
            w.WriteString("type", how.Context.Compact(entity.Types[0]));
        }
        else
        {
            w.WriteStartArray("type");
            foreach (var type in entity.Types)
            {
                w.WriteStringValue(how.Context.Compact(type));
            }

            w.WriteEndArray();
        }

        if (entity.Scopes is { Count: > 0 } scopes)
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

        foreach (var (iri, instances) in entity.Attributes)
        {
            if (how.Attrs is not null && !how.Attrs.Contains(iri))
            {
                continue;
            }

            w.WritePropertyName(how.Context.Compact(iri));
            WriteAttribute(w, instances, how);
        }

        if (how.BodyContext is not null)
        {
            w.WritePropertyName("@context");
            how.BodyContext.WriteTo(w);
        }

        w.WriteEndObject();
    }

    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static void WriteAttribute(Utf8JsonWriter w, List<JsonObject> instances, NgsiRepresentation how)
    {
        if (how.Format == NgsiFormat.Simplified && instances.Count > 1)
        {
            // Several instances, simplified: {"dataset": {"@none": v, "<datasetId>": v}}
            w.WriteStartObject();
            w.WriteStartObject("dataset");
            foreach (var instance in instances)
            {
                w.WritePropertyName(instance["datasetId"]?.GetValue<string>() ?? "@none");
                WriteSimplified(w, instance);
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
                WriteSimplified(w, instance);
            }
            else
            {
                WriteInstance(w, instance, how);
            }
        }

        if (instances.Count > 1)
        {
            w.WriteEndArray();
        }
    }

    private static void WriteInstance(Utf8JsonWriter w, JsonObject instance, NgsiRepresentation how)
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

        w.WriteEndObject();
    }

    private static bool IsGeometry(JsonNode? value) =>
        value is JsonObject o && o["type"] is JsonValue t && t.TryGetValue<string>(out var name) &&
        name is "Point" or "LineString" or "Polygon" or "MultiPoint" or "MultiLineString" or "MultiPolygon" && o["coordinates"] is JsonArray;

    /// <summary>The simplified (keyValues) form of one instance (4.5.4).</summary>
    private static void WriteSimplified(Utf8JsonWriter w, JsonObject instance)
    {
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
