using System.Globalization;
using CityTwin.Domain.Geography;

namespace CityTwin.Domain.Assets;

/// <summary>
/// A city asset (the aggregate root): identity, lifecycle, location, type-specific attributes, relationships,
/// provenance and publication. Every mutation checks its rule and throws a <see cref="DomainException"/> naming the
/// field; a decommissioned asset is read-only until restored.
/// </summary>
public sealed class Asset
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 4000;
    public const int MaxAddressLength = 300;
    public const int MaxDepartmentLength = 100;
    public const int MinCondition = 1;
    public const int MaxCondition = 5;

    /// <summary>Condition at or below this grade counts as "poor" in KPIs.</summary>
    public const int PoorConditionThreshold = 2;

    public const int MinCriticality = 1;
    public const int MaxCriticality = 5;
    public const int DefaultCriticality = 3;
    public const int MaxExpectedLifeYears = 200;
    public const decimal MaxReplacementCost = 10_000_000_000m;

    private readonly Dictionary<string, AttributeValue> _attributes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PublicationClass> _attributePublication = new(StringComparer.Ordinal);
    private readonly List<AssetRelationship> _relationships = [];

    private Asset(AssetId id, AssetType type, string name)
    {
        Id = id;
        Type = type;
        Name = name;
    }

    public AssetId Id { get; }
    public AssetType Type { get; }
    public string Name { get; private set; }
    public string? Description { get; private set; }
    public AssetStatus Status { get; private set; } = AssetStatus.Active;
    public AssetStatus? StatusBeforeDecommission { get; private set; }
    public DateOnly? DecommissionedOn { get; private set; }
    public int? Condition { get; private set; }
    public DateOnly? InspectedOn { get; private set; }
    public DateOnly? InstalledOn { get; private set; }
    public int? ExpectedLifeYears { get; private set; }
    public decimal? ReplacementCost { get; private set; }
    public int Criticality { get; private set; } = DefaultCriticality;
    public string? Department { get; private set; }
    public string? DistrictCode { get; private set; }
    public string? Address { get; private set; }
    public AssetGeometry? Geometry { get; private set; }
    public PublicationClass Publication { get; private set; }
    public Provenance? Provenance { get; private set; }
    public long Version { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ModifiedAt { get; private set; }

    /// <summary>Type-specific property values keyed by expanded IRI.</summary>
    public IReadOnlyDictionary<string, AttributeValue> Attributes => _attributes;

    /// <summary>Per-attribute publication overrides keyed by IRI (absent = the definition's default).</summary>
    public IReadOnlyDictionary<string, PublicationClass> AttributePublication => _attributePublication;

    public IReadOnlyList<AssetRelationship> Relationships => _relationships;

    public bool IsDecommissioned => Status == AssetStatus.Decommissioned;

    public static Asset Create(AssetId id, AssetType type, string name, DateTimeOffset now, Provenance? provenance = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        var asset = new Asset(id, type, Guard.RequiredText(name, "name", MaxNameLength))
        {
            CreatedAt = now,
            ModifiedAt = now,
            Provenance = provenance,
            Version = 1,
            ExpectedLifeYears = type.DefaultExpectedLifeYears > 0 ? type.DefaultExpectedLifeYears : null,
            Publication = type.DefaultPublication,
        };
        return asset;
    }

    /// <summary>Rebuilds an asset from a snapshot, checking every rule (a stored record that breaks one is refused).</summary>
    public static Asset FromState(AssetState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var type = AssetTypeCatalog.Get(state.TypeName);
        var asset = new Asset(state.Id, type, Guard.RequiredText(state.Name, "name", MaxNameLength))
        {
            Description = Guard.OptionalText(state.Description, "description", MaxDescriptionLength, multiline: true),
            Status = state.Status,
            StatusBeforeDecommission = state.StatusBeforeDecommission,
            DecommissionedOn = state.DecommissionedOn,
            InstalledOn = state.InstalledOn,
            Department = Guard.OptionalText(state.Department, "department", MaxDepartmentLength),
            DistrictCode = Guard.OptionalText(state.DistrictCode, "district", MaxDepartmentLength),
            Address = Guard.OptionalText(state.Address, "address", MaxAddressLength),
            Geometry = state.Geometry,
            Publication = state.Publication,
            Provenance = state.Provenance,
            Version = state.Version,
            CreatedAt = state.CreatedAt,
            ModifiedAt = state.ModifiedAt,
        };
        if (state.Condition is { } c)
        {
            asset.Condition = Guard.InRange(c, MinCondition, MaxCondition, "condition");
            asset.InspectedOn = state.InspectedOn;
        }

        asset.Criticality = Guard.InRange(state.Criticality, MinCriticality, MaxCriticality, "criticality");
        asset.ExpectedLifeYears = state.ExpectedLifeYears is { } life ? Guard.InRange(life, 1, MaxExpectedLifeYears, "expectedLifeYears") : null;
        asset.ReplacementCost = CheckCost(state.ReplacementCost);
        foreach (var (iri, value) in state.Attributes)
        {
            // Stored values load as they are: a value outside a range narrowed since (or written around the registry) is a
            // data-quality finding (DataQuality.HasValueOutOfRange), not a reason to make the asset unreadable.
            asset.PutAttribute(iri, value, checkDefinition: false);
        }

        foreach (var (iri, publication) in state.AttributePublication)
        {
            asset._attributePublication[iri] = publication;
        }

        foreach (var relationship in state.Relationships)
        {
            asset.AddRelationship(relationship.Iri, relationship.Target);
        }

        return asset;
    }

    public AssetState ToState() => new()
    {
        Id = Id,
        TypeName = Type.Name,
        Name = Name,
        Description = Description,
        Status = Status,
        StatusBeforeDecommission = StatusBeforeDecommission,
        DecommissionedOn = DecommissionedOn,
        Condition = Condition,
        InspectedOn = InspectedOn,
        InstalledOn = InstalledOn,
        ExpectedLifeYears = ExpectedLifeYears,
        ReplacementCost = ReplacementCost,
        Criticality = Criticality,
        Department = Department,
        DistrictCode = DistrictCode,
        Address = Address,
        Geometry = Geometry,
        Publication = Publication,
        AttributePublication = new Dictionary<string, PublicationClass>(_attributePublication),
        Attributes = new Dictionary<string, AttributeValue>(_attributes),
        Relationships = [.. _relationships],
        Provenance = Provenance,
        Version = Version,
        CreatedAt = CreatedAt,
        ModifiedAt = ModifiedAt,
    };

    /// <summary>Records where the current content came from (an import, an API client).</summary>
    public void RecordProvenance(Provenance provenance)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        Provenance = provenance;
    }

    public void Rename(string name)
    {
        EnsureEditable();
        Name = Guard.RequiredText(name, "name", MaxNameLength);
    }

    public void Describe(string? description, string? address)
    {
        EnsureEditable();
        Description = Guard.OptionalText(description, "description", MaxDescriptionLength, multiline: true);
        Address = Guard.OptionalText(address, "address", MaxAddressLength);
    }

    public void AssignTo(string? department, string? districtCode)
    {
        EnsureEditable();
        Department = Guard.OptionalText(department, "department", MaxDepartmentLength);
        DistrictCode = Guard.OptionalText(districtCode, "district", MaxDepartmentLength);
    }

    /// <summary>Records an inspection: a condition grade 1 (very poor) … 5 (very good) on a date not in the future.</summary>
    public void RecordInspection(int condition, DateOnly inspectedOn, DateOnly today)
    {
        EnsureEditable();
        Guard.InRange(condition, MinCondition, MaxCondition, "condition");
        if (inspectedOn > today)
        {
            throw new DomainException("inspectedOn", $"The inspection date {inspectedOn:yyyy-MM-dd} is in the future.");
        }

        if (InstalledOn is { } installed && inspectedOn < installed)
        {
            throw new DomainException("inspectedOn", $"The inspection date {inspectedOn:yyyy-MM-dd} is before the installation date {installed:yyyy-MM-dd}.");
        }

        Condition = condition;
        InspectedOn = inspectedOn;
    }

    /// <summary>Sets lifecycle figures. An installation date may be in the future only for a planned asset.</summary>
    public void SetLifecycle(DateOnly? installedOn, int? expectedLifeYears, decimal? replacementCost, int criticality, DateOnly today)
    {
        EnsureEditable();
        if (installedOn > today && Status != AssetStatus.Planned)
        {
            throw new DomainException("installedOn", $"The installation date {installedOn:yyyy-MM-dd} is in the future; only a planned asset may have one.");
        }

        if (installedOn is { } i && InspectedOn is { } insp && insp < i)
        {
            throw new DomainException("installedOn", $"The installation date {i:yyyy-MM-dd} is after the last inspection ({insp:yyyy-MM-dd}).");
        }

        ExpectedLifeYears = expectedLifeYears is { } life ? Guard.InRange(life, 1, MaxExpectedLifeYears, "expectedLifeYears") : null;
        ReplacementCost = CheckCost(replacementCost);
        Criticality = Guard.InRange(criticality, MinCriticality, MaxCriticality, "criticality");
        InstalledOn = installedOn;
    }

    /// <summary>Changes the operational status. Decommissioning has its own method, so it can be restored.</summary>
    public void ChangeStatus(AssetStatus status)
    {
        EnsureEditable();
        if (status == AssetStatus.Decommissioned)
        {
            throw new DomainException("status", "Use Decommission to retire an asset; it keeps the asset and its history and can be restored.");
        }

        if (!Enum.IsDefined(status))
        {
            throw new DomainException("status", $"Unknown status {(int)status}.");
        }

        Status = status;
    }

    /// <summary>Retires the asset instead of deleting it: kept with its history, hidden by default, restorable.</summary>
    public void Decommission(DateOnly on)
    {
        if (IsDecommissioned)
        {
            throw new DomainException("status", $"Asset {Id} is already decommissioned (since {DecommissionedOn:yyyy-MM-dd}).");
        }

        StatusBeforeDecommission = Status;
        Status = AssetStatus.Decommissioned;
        DecommissionedOn = on;
    }

    public void Restore()
    {
        if (!IsDecommissioned)
        {
            throw new DomainException("status", $"Asset {Id} is not decommissioned.");
        }

        Status = StatusBeforeDecommission ?? AssetStatus.Active;
        StatusBeforeDecommission = null;
        DecommissionedOn = null;
    }

    public void Locate(AssetGeometry? geometry)
    {
        EnsureEditable();
        Geometry = geometry;
    }

    /// <summary>Sets a type-specific property; a defined attribute's type, range, unit and values are checked.</summary>
    public void SetAttribute(string termOrIri, AttributeValue? value)
    {
        EnsureEditable();
        var iri = Type.FindAttribute(termOrIri)?.Iri ?? termOrIri;
        if (value is null)
        {
            _attributes.Remove(iri);
            return;
        }

        PutAttribute(iri, value);
    }

    private void PutAttribute(string iri, AttributeValue value, bool checkDefinition = true)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!Uri.TryCreate(iri, UriKind.Absolute, out _))
        {
            throw new DomainException(iri, $"Attribute '{iri}' is neither a term of {Type.Name} nor an absolute IRI.");
        }

        var definition = Type.FindAttribute(iri);
        if (definition is { Kind: AttributeKind.Relationship } && value.Type != AttributeDataType.Ngsi)
        {
            throw new DomainException(definition.Term, $"{definition.Label} is a relationship; link it to an asset instead.");
        }

        if (checkDefinition)
        {
            definition?.Validate(value);
        }

        _attributes[iri] = definition?.UnitCode is { } unit && value.UnitCode is null && value.Number is not null
            ? (value.Type == AttributeDataType.Integer ? AttributeValue.OfInteger((long)value.Number.Value, unit) : AttributeValue.OfNumber(value.Number.Value, unit))
            : value;
    }

    public void LinkTo(string relationshipTermOrIri, AssetId target)
    {
        EnsureEditable();
        AddRelationship(Type.FindAttribute(relationshipTermOrIri)?.Iri ?? relationshipTermOrIri, target);
    }

    public void Unlink(string relationshipTermOrIri, AssetId target)
    {
        EnsureEditable();
        var iri = Type.FindAttribute(relationshipTermOrIri)?.Iri ?? relationshipTermOrIri;
        _relationships.RemoveAll(r => r.Iri == iri && r.Target == target);
    }

    private void AddRelationship(string iri, AssetId target)
    {
        if (target == Id)
        {
            throw new DomainException(iri, "An asset cannot be related to itself.");
        }

        var definition = Type.FindAttribute(iri);
        if (definition is { Kind: not AttributeKind.Relationship })
        {
            throw new DomainException(definition.Term, $"{definition.Label} is a property, not a relationship.");
        }

        var relationship = new AssetRelationship(iri, target);
        if (!_relationships.Contains(relationship))
        {
            _relationships.Add(relationship);
        }
    }

    public void Publish(PublicationClass publication)
    {
        EnsureEditable();
        Publication = publication;
    }

    public void PublishAttribute(string termOrIri, PublicationClass publication)
    {
        EnsureEditable();
        _attributePublication[Type.FindAttribute(termOrIri)?.Iri ?? termOrIri] = publication;
    }

    /// <summary>
    /// Lifecycle fields a curator can classify like attributes (IRI → default class): the others (name, status,
    /// condition, dates, district) are what the registry publishes about any public asset.
    /// </summary>
    public static IReadOnlyDictionary<string, PublicationClass> ClassifiedLifecycle { get; } = new Dictionary<string, PublicationClass>(StringComparer.Ordinal)
    {
        [Vocabulary.CityTwinTerms.SdmCommon("description")] = PublicationClass.Public,
        [Vocabulary.CityTwinTerms.SdmCommon("address")] = PublicationClass.Public,
        [Vocabulary.CityTwinTerms.ReplacementCost] = PublicationClass.Public,
        [Vocabulary.CityTwinTerms.Criticality] = PublicationClass.Public,
        [Vocabulary.CityTwinTerms.Department] = PublicationClass.Internal,
    };

    /// <summary>The default class of an attribute or classified lifecycle field of <paramref name="type"/> (null: a type not known here).</summary>
    public static PublicationClass DefaultPublicationOf(AssetType? type, string iri) =>
        type?.FindAttribute(iri)?.DefaultPublication ?? ClassifiedLifecycle.GetValueOrDefault(iri, PublicationClass.Public);

    /// <summary>
    /// Effective publication of an attribute or classified lifecycle field: its own class (or its default), never
    /// more public than the asset.
    /// </summary>
    public PublicationClass PublicationOf(string iri)
    {
        var own = _attributePublication.TryGetValue(iri, out var p) ? p : DefaultPublicationOf(Type, iri);
        return own.Strictest(Publication);
    }

    /// <summary>Marks a saved change: bumps the concurrency version and the modification time.</summary>
    public void MarkChanged(DateTimeOffset at)
    {
        Version++;
        ModifiedAt = at;
    }

    /// <summary>Age in whole years on a date, if the installation date is known.</summary>
    public int? AgeInYears(DateOnly on) => InstalledOn is { } i
        ? on.Year - i.Year - (on.DayOfYear < i.DayOfYear ? 1 : 0)
        : null;

    /// <summary>Years of expected life left (negative when past its expected life).</summary>
    public int? RemainingLifeYears(DateOnly on) => AgeInYears(on) is { } age && ExpectedLifeYears is { } life ? life - age : null;

    /// <summary>True when no inspection is recorded, or the last is older than the given number of years.</summary>
    public bool IsInspectionStale(DateOnly today, int maxYears) =>
        InspectedOn is not { } d || d.AddYears(maxYears) < today;

    private void EnsureEditable()
    {
        if (IsDecommissioned)
        {
            throw new DomainException("status", $"Asset {Id} is decommissioned; restore it before editing.");
        }
    }

    private static decimal? CheckCost(decimal? cost) => cost switch
    {
        null => null,
        < 0 => throw new DomainException("replacementCost", "The replacement cost cannot be negative."),
        > MaxReplacementCost => throw new DomainException("replacementCost",
            string.Create(CultureInfo.InvariantCulture, $"The replacement cost {cost} exceeds {MaxReplacementCost}.")),
        _ => cost,
    };
}
