using System.Globalization;

namespace CityTwin.Domain.Assets;

public enum AttributeDataType
{
    Number,
    Integer,
    Text,
    Boolean,
    Date,
    DateTime,

    /// <summary>Structured JSON (object or array), kept as raw JSON text.</summary>
    Json,

    /// <summary>
    /// A whole NGSI-LD attribute in expanded form, kept as given (ADR 0010): any attribute type (Relationship,
    /// GeoProperty, LanguageProperty, JsonProperty…), several instances (datasetId), sub-attributes, observedAt.
    /// </summary>
    Ngsi,
}

/// <summary>A typed value of a type-specific attribute, with an optional UN/CEFACT unit code.</summary>
public sealed record AttributeValue
{
    private AttributeValue(AttributeDataType type, double? number, string? text, bool? boolean, string? unitCode)
    {
        Type = type;
        Number = number;
        Text = text;
        Boolean = boolean;
        UnitCode = unitCode;
    }

    public AttributeDataType Type { get; }

    public double? Number { get; }

    /// <summary>Text, an ISO 8601 date or date-time, or raw JSON, depending on <see cref="Type"/>.</summary>
    public string? Text { get; }

    public bool? Boolean { get; }

    public string? UnitCode { get; }

    public static AttributeValue OfNumber(double value, string? unitCode = null) =>
        double.IsFinite(value) ? new(AttributeDataType.Number, value, null, null, unitCode)
            : throw new DomainException("value", "A number must be finite.");

    public static AttributeValue OfInteger(long value, string? unitCode = null) =>
        new(AttributeDataType.Integer, value, null, null, unitCode);

    public static AttributeValue OfText(string value) => new(AttributeDataType.Text, null, value, null, null);

    public static AttributeValue OfBoolean(bool value) => new(AttributeDataType.Boolean, null, null, value, null);

    public static AttributeValue OfDate(DateOnly value) =>
        new(AttributeDataType.Date, null, value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, null);

    public static AttributeValue OfDateTime(DateTimeOffset value) =>
        new(AttributeDataType.DateTime, null, value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), null, null);

    public static AttributeValue OfJson(string rawJson) => new(AttributeDataType.Json, null, rawJson, null, null);

    /// <summary>A whole NGSI-LD attribute (an instance object or an array of instances, expanded), as raw JSON.</summary>
    public static AttributeValue OfNgsi(string rawJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rawJson);
        return rawJson.TrimStart() is ['{' or '[', ..] ? new(AttributeDataType.Ngsi, null, rawJson, null, null)
            : throw new DomainException("value", "An NGSI-LD attribute is a JSON object or an array of instances.");
    }

    public override string ToString() => Type switch
    {
        AttributeDataType.Number or AttributeDataType.Integer =>
            Number!.Value.ToString(CultureInfo.InvariantCulture) + (UnitCode is null ? "" : " " + UnitCode),
        AttributeDataType.Boolean => Boolean!.Value ? "true" : "false",
        _ => Text ?? "",
    };
}
