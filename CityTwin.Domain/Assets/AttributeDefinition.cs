using System.Globalization;

namespace CityTwin.Domain.Assets;

/// <summary>How an attribute appears in NGSI-LD normalized form.</summary>
public enum AttributeKind
{
    Property,
    Relationship,
    GeoProperty,
}

/// <summary>
/// A type-specific attribute of an asset type: its Smart Data Models term and IRI, data type, unit (UN/CEFACT code),
/// allowed range or values, and default publication class. <see cref="IsList"/>: Smart Data Models declares the
/// attribute as an array; the registry keeps one value (or one relationship per target) and exchanges it as an array.
/// </summary>
public sealed record AttributeDefinition(
    string Term,
    string Iri,
    AttributeDataType DataType,
    string Label,
    AttributeKind Kind = AttributeKind.Property,
    string? UnitCode = null,
    string? UnitLabel = null,
    double? Minimum = null,
    double? Maximum = null,
    IReadOnlyList<string>? AllowedValues = null,
    PublicationClass DefaultPublication = PublicationClass.Public,
    bool IsList = false)
{
    /// <summary>For a relationship: the asset type its targets have (null when any asset may be the target).</summary>
    public string? TargetType { get; init; }

    /// <summary>Checks a value against this definition; throws a <see cref="DomainException"/> naming the attribute.</summary>
    public void Validate(AttributeValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Type == AttributeDataType.Ngsi)
        {
            // A whole NGSI-LD attribute (several instances, sub-attributes, a typed literal): the API checks its values
            // against this definition before it keeps it whole.
            return;
        }

        var compatible = DataType switch
        {
            AttributeDataType.Number => value.Type is AttributeDataType.Number or AttributeDataType.Integer,
            _ => value.Type == DataType,
        };
        if (!compatible)
        {
            throw new DomainException(Term, $"{Label} expects a {DataType.ToString().ToLowerInvariant()} value; got {value.Type.ToString().ToLowerInvariant()}.");
        }

        if (value.Number is { } n)
        {
            if (DataType == AttributeDataType.Integer && Math.Abs(n % 1) > 0)
            {
                throw new DomainException(Term, $"{Label} must be a whole number; got {n.ToString(CultureInfo.InvariantCulture)}.");
            }

            if ((Minimum is { } min && n < min) || (Maximum is { } max && n > max))
            {
                throw new DomainException(Term, string.Create(CultureInfo.InvariantCulture,
                    $"{Label} must be between {Minimum?.ToString(CultureInfo.InvariantCulture) ?? "-∞"} and {Maximum?.ToString(CultureInfo.InvariantCulture) ?? "∞"}{(UnitLabel is null ? "" : " " + UnitLabel)}; got {n}."));
            }

            if (UnitCode is not null && value.UnitCode is not null && value.UnitCode != UnitCode)
            {
                throw new DomainException(Term, $"{Label} is recorded in unit {UnitCode}; got unit {value.UnitCode}.");
            }
        }

        if (AllowedValues is { Count: > 0 } && value.Text is { } text && !AllowedValues.Contains(text))
        {
            throw new DomainException(Term, $"{Label} must be one of {string.Join(", ", AllowedValues)}; got '{text}'.");
        }
    }
}
