using System.Globalization;

namespace CityTwin.Domain.Kpis;

public enum KpiDirection
{
    HigherIsBetter,
    LowerIsBetter,
}

public enum KpiPeriod
{
    Daily,
    Monthly,
    Yearly,
}

public enum KpiStatus
{
    OnTarget,
    NearTarget,
    OffTarget,
}

/// <summary>A key performance indicator: what it measures in plain language, its unit, target and direction.</summary>
public sealed record KpiDefinition
{
    public const int MaxCodeLength = 64;

    public KpiDefinition(string code, string name, string description, string unit, double target, KpiDirection direction,
        KpiPeriod period, bool isPublic, bool byDistrict, bool byAssetType, double tolerance = 0.1)
    {
        Code = Guard.RequiredText(code, "code", MaxCodeLength);
        Name = Guard.RequiredText(name, "name", 200);
        Description = Guard.RequiredText(description, "description", 2000, multiline: true);
        Unit = Guard.RequiredText(unit, "unit", 32);
        Target = double.IsFinite(target) ? target : throw new DomainException("target", "A KPI target must be a finite number.");
        Direction = direction;
        Period = period;
        IsPublic = isPublic;
        ByDistrict = byDistrict;
        ByAssetType = byAssetType;
        Tolerance = tolerance is >= 0 and <= 1 ? tolerance : throw new DomainException("tolerance", "Tolerance is a share between 0 and 1.");
    }

    public string Code { get; }
    public string Name { get; }
    public string Description { get; }
    public string Unit { get; }
    public double Target { get; }
    public KpiDirection Direction { get; }
    public KpiPeriod Period { get; }
    public bool IsPublic { get; }
    public bool ByDistrict { get; }
    public bool ByAssetType { get; }

    /// <summary>Share of the target within which a miss counts as "near target" rather than "off target".</summary>
    public double Tolerance { get; }

    /// <summary>Compares a value with the target, respecting the direction.</summary>
    public KpiStatus Evaluate(double value)
    {
        var meets = Direction == KpiDirection.HigherIsBetter ? value >= Target : value <= Target;
        if (meets)
        {
            return KpiStatus.OnTarget;
        }

        var slack = Math.Abs(Target) * Tolerance;
        var near = Direction == KpiDirection.HigherIsBetter ? value >= Target - slack : value <= Target + slack;
        return near ? KpiStatus.NearTarget : KpiStatus.OffTarget;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Code}: target {Target} {Unit}");
}

/// <summary>The renewal budget for a year, for one asset type or (type null) the whole city.</summary>
public sealed record RenewalBudget
{
    public RenewalBudget(int year, string? assetTypeName, decimal amount)
    {
        Year = Guard.InRange(year, 1900, 2200, "year");
        AssetTypeName = assetTypeName;
        Amount = amount >= 0 ? amount : throw new DomainException("amount", "A budget cannot be negative.");
    }

    public int Year { get; }

    public string? AssetTypeName { get; }

    public decimal Amount { get; }
}
