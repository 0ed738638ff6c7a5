using System.Globalization;

namespace CityTwin.Domain;

/// <summary>Small argument checks shared by the aggregates; each throws a <see cref="DomainException"/> naming the field.</summary>
public static class Guard
{
    public static string RequiredText(string? value, string field, int maxLength, bool multiline = false)
    {
        var text = OptionalText(value, field, maxLength, multiline);
        return text ?? throw new DomainException(field, $"{field} is required.");
    }

    /// <summary>Trims, turns blank into null, refuses control characters (except tab/newline in long texts) and over-long text.</summary>
    public static string? OptionalText(string? value, string field, int maxLength, bool multiline = false)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Length > maxLength)
        {
            throw new DomainException(field, $"{field} is {text.Length} characters long; the limit is {maxLength}.");
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
            {
                throw new DomainException(field, string.Create(CultureInfo.InvariantCulture,
                    $"{field} contains a control character (U+{(int)c:X4}), which is not allowed."));
            }
        }

        return text;
    }

    public static int InRange(int value, int min, int max, string field) =>
        value < min || value > max
            ? throw new DomainException(field, string.Create(CultureInfo.InvariantCulture,
                $"{field} must be between {min} and {max}; got {value}."))
            : value;
}
