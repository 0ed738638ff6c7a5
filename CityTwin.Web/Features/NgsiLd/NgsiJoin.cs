using System.Globalization;
using System.Text.Json.Nodes;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>
/// Linked-entity retrieval (NGSI-LD 1.8, 4.5.23): <c>join=inline</c> puts the entity a Relationship points to inside
/// it (<c>entity</c>; in simplified form the relationship's value becomes that entity), <c>join=flat</c> appends the
/// linked entities to the answer; <c>joinLevel</c> hops (default 1). The braced parts of pick/omit project the linked
/// entities (<c>pick=id,locatedAt{id,name}</c>). Only relationships the projection shows are followed; a target that
/// does not exist, or that the caller may not see, is left as a plain relationship.
/// </summary>
internal static class NgsiJoin
{
    public const int MaxLevel = 5;

    /// <summary>The representation with join/joinLevel checked (BadRequestData naming a bad value).</summary>
    public static NgsiRepresentation Joining(this NgsiRepresentation how, string? join, string? joinLevel)
    {
        ArgumentNullException.ThrowIfNull(how);
        if (string.IsNullOrEmpty(join))
        {
            return how;
        }

        if (join is not ("inline" or "flat"))
        {
            throw NgsiLdException.BadData($"join='{join}' is not valid: use inline or flat.");
        }

        var level = 1;
        if (!string.IsNullOrEmpty(joinLevel) &&
            (!int.TryParse(joinLevel, NumberStyles.None, CultureInfo.InvariantCulture, out level) || level < 1 || level > MaxLevel))
        {
            throw NgsiLdException.BadData($"joinLevel='{joinLevel}' is not valid: a whole number from 1 to {MaxLevel}.");
        }

        return how with { Join = join, JoinLevel = level };
    }

    /// <summary>
    /// Fetches the entities linked from <paramref name="roots"/>, breadth first, up to the join level. Returns the
    /// representation to write the roots with (inline: it carries the linked entities) and, for a flat join, the linked
    /// entities to append (each once, none that is already a root) with their own projection.
    /// </summary>
    public static async Task<(NgsiRepresentation How, List<(NgsiEntity Entity, NgsiRepresentation How)> Flat)> LinkAsync(
        IReadOnlyList<NgsiEntity> roots, NgsiRepresentation how, NgsiEntityStore store, bool publicOnly, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(how);
        ArgumentNullException.ThrowIfNull(store);
        var flat = new List<(NgsiEntity, NgsiRepresentation)>();
        if (how.Join is null || how.JoinLevel < 1 || how.GeometryProperty is not null)
        {
            return (how, flat);
        }

        var fetched = new Dictionary<string, NgsiEntity?>(StringComparer.Ordinal);
        var listed = roots.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var frontier = roots.Select(r => (Entity: r, How: how)).ToList();
        for (var level = 0; level < how.JoinLevel && frontier.Count > 0; level++)
        {
            var next = new List<(NgsiEntity Entity, NgsiRepresentation How)>();
            foreach (var (entity, h) in frontier)
            {
                foreach (var (iri, instances) in entity.Attributes)
                {
                    if (!h.ShowsAttribute(iri))
                    {
                        continue;
                    }

                    foreach (var instance in instances)
                    {
                        if (instance["type"]?.GetValue<string>() != NgsiTerms.Relationship || instance["object"] is not JsonValue o ||
                            !o.TryGetValue<string>(out var target) || fetched.ContainsKey(target))
                        {
                            continue;
                        }

                        var linked = await store.FindAsync(target, publicOnly, ct);
                        fetched[target] = linked;
                        if (linked is null)
                        {
                            continue;
                        }

                        var linking = h.Linking(iri);
                        next.Add((linked, linking));
                        if (listed.Add(linked.Id))
                        {
                            flat.Add((linked, linking));
                        }
                    }
                }
            }

            frontier = next;
        }

        var found = fetched.Where(f => f.Value is not null).ToDictionary(f => f.Key, f => f.Value!, StringComparer.Ordinal);
        return how.Join == "inline" ? (how with { Linked = found }, []) : (how, flat);
    }
}
