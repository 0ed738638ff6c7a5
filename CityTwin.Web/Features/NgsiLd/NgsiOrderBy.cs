using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CityTwin.Web.Features.JsonLd;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>
/// <c>orderBy</c> of Query Entities (NGSI-LD V1.9.1, 4.23): comma-separated keys, each an entity member (id, type,
/// createdAt, modifiedAt) or an attribute path (<c>attr</c>, <c>attr.subAttr</c>, <c>attr.createdAt</c>…), optionally
/// followed by <c>;asc</c> or <c>;desc</c>. Numbers order as numbers, other values by their JSON text; entities
/// without the key come last; ties keep registry order.
/// </summary>
public sealed class NgsiOrderBy : IComparer<NgsiEntity>
{
    private static readonly HashSet<string> EntityMembers = ["id", "type", "createdAt", "modifiedAt"];
    private static readonly HashSet<string> InstanceMembers = ["createdAt", "modifiedAt", "observedAt", "datasetId", "unitCode"];

    private readonly List<(string[] Path, bool Descending)> _keys;

    private NgsiOrderBy(List<(string[] Path, bool Descending)> keys) => _keys = keys;

    /// <summary>The attribute IRIs the keys look at (entity members need none).</summary>
    public IReadOnlySet<string> Attributes => _keys.Where(k => !(k.Path is [var member] && EntityMembers.Contains(member)))
        .Select(k => k.Path[0]).ToHashSet(StringComparer.Ordinal);

    public static NgsiOrderBy? Parse(string? text, JsonLdContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var keys = new List<(string[] Path, bool Descending)>();
        foreach (var key in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var parts = key.Split(';', StringSplitOptions.TrimEntries);
            var descending = parts.Length switch
            {
                1 => false,
                2 when parts[1] == "asc" => false,
                2 when parts[1] == "desc" => true,
                _ => throw NgsiLdException.BadData($"orderBy key '{key}': a path, optionally followed by ;asc or ;desc."),
            };
            var segments = NgsiEntityReader.PathSegments(parts[0]);
            if (segments.Any(string.IsNullOrEmpty))
            {
                throw NgsiLdException.BadData($"orderBy key '{key}' has an empty path segment.");
            }

            var path = segments.Length == 1 && EntityMembers.Contains(segments[0])
                ? segments
                : [.. segments.Select((s, i) => i > 0 && InstanceMembers.Contains(s) ? s : NgsiEntityReader.ExpandName(context, s, s))];
            keys.Add((path, descending));
        }

        return new NgsiOrderBy(keys);
    }

    public int Compare(NgsiEntity? x, NgsiEntity? y)
    {
        foreach (var (path, descending) in _keys)
        {
            var a = Value(x!, path);
            var b = Value(y!, path);
            if (a is null || b is null)
            {
                if (a is null && b is null)
                {
                    continue;
                }

                return a is null ? 1 : -1; // missing last, whatever the direction
            }

            var order = Order(a, b);
            if (order != 0)
            {
                return descending ? -order : order;
            }
        }

        return 0;
    }

    private static JsonNode? Value(NgsiEntity entity, string[] path)
    {
        if (path is [var member] && EntityMembers.Contains(member))
        {
            return member switch
            {
                "id" => JsonValue.Create(entity.Id),
                "type" => JsonValue.Create(entity.Types[0]),
                "createdAt" => entity.CreatedAt is { } c ? JsonValue.Create(NgsiEntityWriter.Instant(c)) : null,
                _ => entity.ModifiedAt is { } m ? JsonValue.Create(NgsiEntityWriter.Instant(m)) : null,
            };
        }

        if (!entity.Attributes.TryGetValue(path[0], out var instances) || instances.Count == 0)
        {
            return null;
        }

        JsonNode? node = instances.FirstOrDefault(i => i["datasetId"] is null) ?? instances[0];
        for (var i = 1; i < path.Length; i++)
        {
            node = node is JsonObject o ? o[path[i]] : null;
        }

        while (node is JsonObject attribute && attribute["type"] is JsonValue)
        {
            node = NgsiTerms.MainValue(attribute);
        }

        return node is JsonObject literal && literal["@value"] is { } v ? v : node;
    }

    private static int Order(JsonNode a, JsonNode b)
    {
        if (a is JsonValue x && b is JsonValue y && x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number)
        {
            return NgsiTerms.Number(x).CompareTo(NgsiTerms.Number(y));
        }

        return string.CompareOrdinal(Text(a), Text(b)) switch { < 0 => -1, > 0 => 1, _ => 0 };
    }

    private static string Text(JsonNode node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node.ToJsonString();
}
