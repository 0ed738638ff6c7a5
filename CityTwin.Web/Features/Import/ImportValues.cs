using System.Globalization;
using System.Text.Json;
using CityTwin.Domain.Assets;

namespace CityTwin.Web.Features.Import;

/// <summary>
/// Reads text cells as typed values the way civil servants' files write them: decimal commas, thousands separators,
/// X-flags and yes/no words, ISO and European dates. Every failure says what was expected.
/// </summary>
public static class ImportValues
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd.MM.yyyy", "d.M.yyyy", "dd/MM/yyyy", "d/M/yyyy", "yyyy/MM/dd", "yyyyMMdd"];

    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "dd.MM.yyyy HH:mm:ss",
        "dd.MM.yyyy HH:mm", "d.M.yyyy HH:mm", "dd/MM/yyyy HH:mm", "yyyy-MM-dd",
    ];

    public static bool TryNumber(string? text, out double value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim().Replace("\u00a0", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
        var comma = s.LastIndexOf(',');
        var dot = s.LastIndexOf('.');
        if (comma >= 0 && dot >= 0)
        {
            // the later one is the decimal separator: 1.234,5 or 1,234.5
            s = comma > dot ? s.Replace(".", "", StringComparison.Ordinal).Replace(',', '.') : s.Replace(",", "", StringComparison.Ordinal);
        }
        else if (comma >= 0)
        {
            s = s.Count(c => c == ',') == 1 ? s.Replace(',', '.') : s.Replace(",", "", StringComparison.Ordinal);
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    public static bool TryBoolean(string? text, out bool value)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "TRUE" or "YES" or "Y" or "1" or "X" or "JA" or "J" or "OUI" or "SI" or "SÍ" or "✓" or "WAHR":
                value = true;
                return true;
            case "FALSE" or "NO" or "N" or "0" or "NEIN" or "NON" or "NEE" or "FALSCH" or "-":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    public static bool TryDate(string? text, out DateOnly value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (DateOnly.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return true;
        }

        if (TryDateTime(s, out var dt))
        {
            value = DateOnly.FromDateTime(dt.UtcDateTime);
            return true;
        }

        return false;
    }

    /// <summary>Date-times without a zone are taken as UTC.</summary>
    public static bool TryDateTime(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text?.Trim(), DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value) ||
        DateTimeOffset.TryParse(text?.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    /// <summary>A text cell as the value of a defined attribute; throws <see cref="FormatException"/> with the reason.</summary>
    public static AttributeValue ForDefinition(AttributeDefinition definition, string text)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.DataType switch
        {
            AttributeDataType.Number => TryNumber(text, out var n) ? AttributeValue.OfNumber(n) : throw new FormatException($"{definition.Label} expects a number."),
            AttributeDataType.Integer => TryNumber(text, out var i) && Math.Abs(i % 1) < 1e-9 && Math.Abs(i) < 1e15
                ? AttributeValue.OfInteger((long)i) : throw new FormatException($"{definition.Label} expects a whole number."),
            AttributeDataType.Boolean => TryBoolean(text, out var b) ? AttributeValue.OfBoolean(b) : throw new FormatException($"{definition.Label} expects yes/no (true, false, X, 1, 0)."),
            AttributeDataType.Date => TryDate(text, out var d) ? AttributeValue.OfDate(d) : throw new FormatException($"{definition.Label} expects a date such as 2024-05-31 or 31.05.2024."),
            AttributeDataType.DateTime => TryDateTime(text, out var dt) ? AttributeValue.OfDateTime(dt) : throw new FormatException($"{definition.Label} expects a date and time such as 2024-05-31T14:00:00Z."),
            AttributeDataType.Json => IsJson(text) ? AttributeValue.OfJson(text.Trim()) : throw new FormatException($"{definition.Label} expects a JSON object or array."),
            _ => AttributeValue.OfText(text.Trim()),
        };
    }

    /// <summary>The value of a new (undefined) attribute: a number, yes/no, a date, JSON or text, whichever fits.</summary>
    public static AttributeValue Infer(string text)
    {
        var s = text.Trim();
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) && !(s.Length > 1 && s[0] == '0' && s[1] != '.'))
        {
            return Math.Abs(n % 1) < 1e-12 && Math.Abs(n) < 1e15 && !s.Contains('.', StringComparison.Ordinal) ? AttributeValue.OfInteger((long)n) : AttributeValue.OfNumber(n);
        }

        if (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("x", StringComparison.OrdinalIgnoreCase))
        {
            return AttributeValue.OfBoolean(true);
        }

        if (s.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return AttributeValue.OfBoolean(false);
        }

        if (s.Length == 10 && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return AttributeValue.OfDate(d);
        }

        return (s.StartsWith('{') || s.StartsWith('[')) && IsJson(s) ? AttributeValue.OfJson(s) : AttributeValue.OfText(s);
    }

    /// <summary>A JSON value (from NGSI-LD) as an attribute value, typed by the definition when there is one.</summary>
    public static AttributeValue FromJson(JsonElement value, AttributeDefinition? definition, string? unitCode)
    {
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("@value", out var literal))
        {
            var kind = value.TryGetProperty("@type", out var t) ? t.GetString() : null;
            var text = literal.ValueKind == JsonValueKind.String ? literal.GetString()! : literal.GetRawText();
            return kind switch
            {
                "Date" or "https://uri.etsi.org/ngsi-ld/Date" when TryDate(text, out var d) => AttributeValue.OfDate(d),
                _ when definition?.DataType == AttributeDataType.Date && TryDate(text, out var dd) => AttributeValue.OfDate(dd),
                _ when TryDateTime(text, out var dt) => AttributeValue.OfDateTime(dt),
                _ => AttributeValue.OfText(text),
            };
        }

        if (definition is not null)
        {
            switch (definition.DataType)
            {
                case AttributeDataType.Number when value.ValueKind == JsonValueKind.Number:
                    return AttributeValue.OfNumber(value.GetDouble(), unitCode);
                case AttributeDataType.Integer when value.ValueKind == JsonValueKind.Number:
                    var i = value.GetDouble();
                    return Math.Abs(i % 1) < 1e-9 ? AttributeValue.OfInteger((long)i, unitCode)
                        : throw new FormatException($"{definition.Label} expects a whole number; got {value.GetRawText()}.");
                case AttributeDataType.Text when value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 1 && value[0].ValueKind == JsonValueKind.String:
                    return AttributeValue.OfText(value[0].GetString()!);
                case AttributeDataType.Date when value.ValueKind == JsonValueKind.String && TryDate(value.GetString(), out var d):
                    return AttributeValue.OfDate(d);
                case AttributeDataType.DateTime when value.ValueKind == JsonValueKind.String && TryDateTime(value.GetString(), out var dt):
                    return AttributeValue.OfDateTime(dt);
                case AttributeDataType.Number or AttributeDataType.Integer or AttributeDataType.Boolean or AttributeDataType.Date
                    when value.ValueKind == JsonValueKind.String:
                    return ForDefinition(definition, value.GetString()!);
            }
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var l) && !value.GetRawText().Contains('.', StringComparison.Ordinal) && definition?.DataType != AttributeDataType.Number
                => AttributeValue.OfInteger(l, unitCode),
            JsonValueKind.Number => AttributeValue.OfNumber(value.GetDouble(), unitCode),
            JsonValueKind.True or JsonValueKind.False => AttributeValue.OfBoolean(value.GetBoolean()),
            JsonValueKind.String => AttributeValue.OfText(value.GetString()!),
            JsonValueKind.Object or JsonValueKind.Array => AttributeValue.OfJson(value.GetRawText()),
            _ => throw new FormatException("A null value cannot be stored; leave the attribute out instead."),
        };
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Undoes the spreadsheet-formula guard of CityTwin's CSV export ('=… → =…).</summary>
    public static string Unguard(string text) =>
        text.Length > 1 && text[0] == '\'' && text[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? text[1..] : text;
}
