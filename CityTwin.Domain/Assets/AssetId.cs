using System.Diagnostics.CodeAnalysis;

namespace CityTwin.Domain.Assets;

/// <summary>An asset's identifier: an absolute URI, normally <c>urn:ngsi-ld:&lt;Type&gt;:&lt;local id&gt;</c>.</summary>
public readonly record struct AssetId
{
    public const int MaxLength = 256;

    public AssetId(string value)
    {
        if (!IsValid(value, out var error))
        {
            throw new DomainException("id", error);
        }

        Value = value;
    }

    public string Value { get; }

    public static AssetId For(string typeName, string localId) => new($"urn:ngsi-ld:{typeName}:{localId}");

    public static bool IsValid([NotNullWhen(true)] string? value, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "An asset id is required.";
            return false;
        }

        if (value.Length > MaxLength)
        {
            error = $"An asset id is at most {MaxLength} characters long.";
            return false;
        }

        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or '{' or '}' or '|' or '\\' or '^' or '`'))
        {
            error = $"Asset id '{Shorten(value)}' contains characters not allowed in a URI.";
            return false;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out _))
        {
            error = $"Asset id '{Shorten(value)}' is not an absolute URI (expected e.g. urn:ngsi-ld:Streetlight:0001).";
            return false;
        }

        return true;
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";

    public override string ToString() => Value ?? "";
}
