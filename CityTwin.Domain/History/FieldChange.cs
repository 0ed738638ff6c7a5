using System.Globalization;
using CityTwin.Domain.Assets;
using CityTwin.Domain.Geography;

namespace CityTwin.Domain.History;

/// <summary>One field of an asset changed from one value to another (values as display text; null = empty).</summary>
public sealed record FieldChange(string Field, string? From, string? To);

/// <summary>Who made a change: a signed-in person, a machine client's API key, or the system itself.</summary>
public enum ActorKind
{
    User,
    ApiKey,
    System,
}

public sealed record ChangeActor(string Name, ActorKind Kind)
{
    public static ChangeActor System(string what) => new(what, ActorKind.System);

    public override string ToString() => Kind == ActorKind.ApiKey ? "API key " + Name : Name;
}

/// <summary>
/// Compares two snapshots of the same asset field by field: the basis of the change log, of "what will change"
/// previews and of the side-by-side conflict view. Field names are the stable keys used in the log
/// (lifecycle names, or an attribute's IRI; relationship and publication entries are prefixed).
/// </summary>
public static class AssetDiff
{
    public const string RelationshipPrefix = "relationship:";
    public const string PublicationPrefix = "publication:";

    public static IReadOnlyList<FieldChange> Compare(AssetState before, AssetState after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<FieldChange>();
        void Add(string field, string? from, string? to)
        {
            if (!string.Equals(from, to, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(field, from, to));
            }
        }

        Add("name", before.Name, after.Name);
        Add("description", before.Description, after.Description);
        Add("status", before.Status.ToString(), after.Status.ToString());
        Add("condition", Text(before.Condition), Text(after.Condition));
        Add("inspectedOn", Text(before.InspectedOn), Text(after.InspectedOn));
        Add("installedOn", Text(before.InstalledOn), Text(after.InstalledOn));
        Add("expectedLifeYears", Text(before.ExpectedLifeYears), Text(after.ExpectedLifeYears));
        Add("replacementCost", Text(before.ReplacementCost), Text(after.ReplacementCost));
        Add("criticality", Text(before.Criticality), Text(after.Criticality));
        Add("department", before.Department, after.Department);
        Add("district", before.DistrictCode, after.DistrictCode);
        Add("address", before.Address, after.Address);
        Add("geometry", GeometryText(before.Geometry), GeometryText(after.Geometry));
        Add("publication", before.Publication.ToString(), after.Publication.ToString());

        foreach (var iri in before.Attributes.Keys.Union(after.Attributes.Keys).Order(StringComparer.Ordinal))
        {
            Add(iri, before.Attributes.GetValueOrDefault(iri)?.ToString(), after.Attributes.GetValueOrDefault(iri)?.ToString());
        }

        foreach (var iri in before.AttributePublication.Keys.Union(after.AttributePublication.Keys).Order(StringComparer.Ordinal))
        {
            Add(PublicationPrefix + iri, before.AttributePublication.TryGetValue(iri, out var b) ? b.ToString() : null,
                after.AttributePublication.TryGetValue(iri, out var a) ? a.ToString() : null);
        }

        foreach (var iri in before.Relationships.Select(r => r.Iri).Union(after.Relationships.Select(r => r.Iri)).Order(StringComparer.Ordinal))
        {
            Add(RelationshipPrefix + iri, Targets(before, iri), Targets(after, iri));
        }

        return changes;
    }

    private static string? Targets(AssetState state, string iri)
    {
        var targets = state.Relationships.Where(r => r.Iri == iri).Select(r => r.Target.Value).Order(StringComparer.Ordinal).ToList();
        return targets.Count == 0 ? null : string.Join(", ", targets);
    }

    private static string? Text<T>(T? value) where T : struct, IFormattable =>
        value?.ToString(value is DateOnly ? "yyyy-MM-dd" : null, CultureInfo.InvariantCulture);

    private static string? Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? GeometryText(AssetGeometry? geometry) => geometry is null ? null
        : geometry.Kind + " " + string.Join(" | ", geometry.Parts.Select(part => string.Join(", ", part.Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"{Math.Round(p.Longitude, 7)} {Math.Round(p.Latitude, 7)}")))));
}
