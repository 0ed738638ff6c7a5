using System.Collections.Frozen;
using System.Text.Json;
using CityTwin.Web.Features.JsonLd;
using Json.Schema;

namespace CityTwin.Web.Features.Import;

/// <summary>
/// The official Smart Data Models JSON Schemas (draft 2020-12, JsonSchema.Net), built once from the embedded copies
/// with every <c>$ref</c>'d common schema registered under each URL the models use — validation never goes online.
/// Schemas describe the key-values form; normalized entities are simplified before validation.
/// </summary>
public sealed class SdmSchemas
{
    private readonly FrozenDictionary<string, JsonSchema> _models;
    private readonly EvaluationOptions _evaluation;

    public SdmSchemas()
    {
        var registry = new SchemaRegistry();
        var build = new BuildOptions { SchemaRegistry = registry };
        foreach (var group in StandardDocuments.Schemas.GroupBy(s => s.Value))
        {
            var urls = group.Select(g => g.Key).ToList();
            var schema = JsonSchema.FromText(StandardDocuments.Read(group.Key), build, new Uri(urls[0]));
            foreach (var url in urls.Skip(1))
            {
                registry.Register(new Uri(url), schema);
            }
        }

        _models = StandardDocuments.SchemaModels.ToFrozenDictionary(
            m => m, m => JsonSchema.FromText(StandardDocuments.Read(StandardDocuments.SchemaResource(m)), build), StringComparer.Ordinal);
        _evaluation = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = false };
    }

    public bool HasSchema(string model) => _models.ContainsKey(model);

    /// <summary>Validates a key-values entity; returns (instance path, message) per failed rule, empty when valid.</summary>
    public IReadOnlyList<(string Path, string Message)> Validate(string model, JsonElement keyValues)
    {
        if (!_models.TryGetValue(model, out var schema))
        {
            return [];
        }

        var result = schema.Evaluate(keyValues, _evaluation);
        if (result.IsValid)
        {
            return [];
        }

        var errors = new List<(string, string)>();
        foreach (var detail in (result.Details ?? []).Prepend(result))
        {
            if (detail.IsValid || detail.Errors is null)
            {
                continue;
            }

            foreach (var (keyword, message) in detail.Errors)
            {
                var path = detail.InstanceLocation.ToString();
                errors.Add((string.IsNullOrEmpty(path) ? "/" : path, $"{message} ({keyword})"));
            }
        }

        return errors.Count > 0 ? errors.Distinct().ToList() : [("/", "The entity does not match the Smart Data Models schema of " + model + ".")];
    }

    /// <summary>The key-values form of an NGSI-LD (normalized, concise or simplified) or NGSI-v2 entity.</summary>
    public static string ToKeyValues(JsonElement entity)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var member in entity.EnumerateObject())
            {
                if (member.Name == "@context")
                {
                    continue;
                }

                w.WritePropertyName(member.Name);
                if (member.Name is "id" or "type")
                {
                    member.Value.WriteTo(w);
                    continue;
                }

                Simplify(member.Value).WriteTo(w);
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static JsonElement Simplify(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return value;
        }

        if (value.TryGetProperty("object", out var target) && (!value.TryGetProperty("type", out var rt) || rt.GetString() is "Relationship" or "ListRelationship"))
        {
            return target;
        }

        if (value.TryGetProperty("value", out var inner) && (!value.TryGetProperty("type", out var t) || t.ValueKind == JsonValueKind.String))
        {
            return inner.ValueKind == JsonValueKind.Object && inner.TryGetProperty("@value", out var literal) ? literal : inner;
        }

        return value.TryGetProperty("@value", out var lit) ? lit : value;
    }
}
