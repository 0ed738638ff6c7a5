using CityTwin.Domain;
using CityTwin.Domain.Assets;
using CityTwin.Domain.Geography;

namespace CityTwin.Web.Features.Import;

/// <summary>
/// One source record read from a file, before it meets the registry: only the fields the record carries are set, so
/// applying it merges into an existing asset and leaves everything else untouched. Parse problems are collected on the
/// draft; domain rules are checked when it is applied.
/// </summary>
public sealed class AssetDraft(int row)
{
    public int Row { get; } = row;

    public string? Id { get; set; }

    public AssetType? Type { get; set; }

    public string? Name { get; set; }

    public string? FallbackName { get; set; }

    public Optional<string> Description { get; set; }

    public Optional<string> Address { get; set; }

    public AssetStatus? Status { get; set; }

    public int? Condition { get; set; }

    public DateOnly? InspectedOn { get; set; }

    public Optional<DateOnly?> InstalledOn { get; set; }

    public Optional<int?> ExpectedLifeYears { get; set; }

    public Optional<decimal?> ReplacementCost { get; set; }

    public int? Criticality { get; set; }

    public Optional<string> Department { get; set; }

    public Optional<string> District { get; set; }

    public PublicationClass? Publication { get; set; }

    public AssetGeometry? Geometry { get; set; }

    /// <summary>Attribute IRI → value (null removes it).</summary>
    public Dictionary<string, AttributeValue?> Attributes { get; } = new(StringComparer.Ordinal);

    /// <summary>Relationship IRI → target ids (the full set for that relationship).</summary>
    public Dictionary<string, List<string>> Links { get; } = new(StringComparer.Ordinal);

    public List<ImportIssue> Issues { get; } = [];

    public bool HasErrors => Issues.Exists(i => !i.Warning);

    public void Error(string field, string? value, string reason) => Issues.Add(new ImportIssue(Row, Id, field, Clip(value), reason));

    public void Warn(string field, string? value, string reason) => Issues.Add(new ImportIssue(Row, Id, field, Clip(value), reason, Warning: true));

    private static string? Clip(string? value) => value is { Length: > 200 } ? value[..200] + "…" : value;

    /// <summary>
    /// Applies the draft to <paramref name="existing"/> (a working copy) or to a new asset; throws the
    /// <see cref="DomainException"/> of the first broken rule.
    /// </summary>
    public Asset ApplyTo(Asset? existing, DateTimeOffset now, DateOnly today)
    {
        var type = Type ?? existing?.Type ?? throw new DomainException("type", "The record has no asset type.");
        var asset = existing ?? Asset.Create(new AssetId(Id!), type, Name ?? FallbackName ?? type.Label, now);
        if (asset.IsDecommissioned)
        {
            if (Status is { } s && s != AssetStatus.Decommissioned)
            {
                asset.Restore();
            }
            else
            {
                return asset; // a decommissioned asset stays as it is unless the file restores it
            }
        }

        if (Name is not null && Name != asset.Name)
        {
            asset.Rename(Name);
        }

        if (Description.IsSet || Address.IsSet)
        {
            asset.Describe(Description.Or(asset.Description), Address.Or(asset.Address));
        }

        if (Department.IsSet || District.IsSet)
        {
            asset.AssignTo(Department.Or(asset.Department), District.Or(asset.DistrictCode));
        }

        if (Status is { } status && status != AssetStatus.Decommissioned && status != asset.Status)
        {
            asset.ChangeStatus(status);
        }

        if (InstalledOn.IsSet || ExpectedLifeYears.IsSet || ReplacementCost.IsSet || Criticality is not null)
        {
            asset.SetLifecycle(InstalledOn.Or(asset.InstalledOn), ExpectedLifeYears.Or(asset.ExpectedLifeYears),
                ReplacementCost.Or(asset.ReplacementCost), Criticality ?? asset.Criticality, today);
        }

        if (Condition is { } condition)
        {
            var inspected = InspectedOn ?? asset.InspectedOn
                ?? throw new DomainException("inspectedOn", "A condition needs the date of the inspection that found it.");
            if (condition != asset.Condition || inspected != asset.InspectedOn)
            {
                asset.RecordInspection(condition, inspected, today);
            }
        }

        if (Geometry is not null && !Geometry.Equals(asset.Geometry))
        {
            asset.Locate(Geometry);
        }

        foreach (var (iri, value) in Attributes)
        {
            if (!Equals(asset.Attributes.GetValueOrDefault(iri), value))
            {
                asset.SetAttribute(iri, value);
            }
        }

        foreach (var (iri, targets) in Links)
        {
            var current = asset.Relationships.Where(r => r.Iri == iri).Select(r => r.Target.Value).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in current.Where(t => !targets.Contains(t)).ToList())
            {
                asset.Unlink(iri, new AssetId(gone));
            }

            foreach (var target in targets.Where(t => !current.Contains(t)))
            {
                asset.LinkTo(iri, new AssetId(target));
            }
        }

        if (Status == AssetStatus.Decommissioned)
        {
            asset.Decommission(today);
        }

        if (Publication is { } publication && publication != asset.Publication)
        {
            asset.Publish(publication);
        }

        return asset;
    }
}

/// <summary>Creates <see cref="Optional{T}"/> values.</summary>
public static class Optional
{
    public static Optional<T> Of<T>(T? value) => new(value);
}

/// <summary>A value that may be absent from the source (unset), present and empty (null), or present.</summary>
public readonly record struct Optional<T>
{
    private readonly T? _value;

    internal Optional(T? value)
    {
        _value = value;
        IsSet = true;
    }

    public bool IsSet { get; }

    public T? Value => _value;

    public T? Or(T? fallback) => IsSet ? _value : fallback;
}
