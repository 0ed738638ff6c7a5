using System.Text;

namespace CityTwin.Web.Infrastructure;

/// <summary>
/// Strings of UTF-8 cells that repeat across rows (type, status, district, publication): looked up by their characters,
/// so a repeated value costs no allocation. Bounded: past <see cref="MaxEntries"/> new values are simply allocated.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int MaxEntries = 4096;
    private const int MaxLength = 256;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public Utf8StringCache() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }

        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[MaxLength];
        var n = Encoding.UTF8.GetChars(utf8, chars);
        if (_lookup.TryGetValue(chars[..n], out var known))
        {
            return known;
        }

        var text = new string(chars[..n]);
        if (_strings.Count < MaxEntries)
        {
            _strings[text] = text;
        }

        return text;
    }
}
