namespace CityTwin.Web.Features.NgsiLd;

/// <summary>
/// The <c>pick</c> / <c>omit</c> projection language (NGSI-LD 1.8, 4.21): names separated by commas, each optionally
/// followed by a braced list for the entities it links to (<c>id,locatedAt{name}</c>). Only the top level is used
/// here (linked-entity retrieval is not offered); the whole expression is still checked, and a malformed one is
/// BadRequestData naming the problem.
/// </summary>
public static class NgsiProjection
{
    /// <summary>Members of an entity that pick/omit may name besides its attributes.</summary>
    public static readonly IReadOnlySet<string> CoreMembers = new HashSet<string>(StringComparer.Ordinal) { "id", "type", "scope", "@context" };

    public static IReadOnlyList<string> Parse(string expression, string parameter)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var names = new List<string>();
        var position = 0;
        ParseList(expression, ref position, 0, names, parameter);
        if (position != expression.Length)
        {
            throw Error(parameter, expression, $"unexpected '{expression[position]}' at position {position + 1}");
        }

        return names;
    }

    private static void ParseList(string s, ref int i, int depth, List<string> names, string parameter)
    {
        while (true)
        {
            var start = i;
            while (i < s.Length && IsNameChar(s[i]))
            {
                i++;
            }

            if (i == start)
            {
                throw Error(parameter, s, i < s.Length ? $"an attribute name is expected at position {i + 1}, not '{s[i]}'" : "an attribute name is expected at the end");
            }

            if (depth == 0)
            {
                names.Add(s[start..i]);
            }

            if (i < s.Length && s[i] == '{')
            {
                i++;
                if (i < s.Length && s[i] == '{')
                {
                    throw Error(parameter, s, $"'{{{{' at position {i}");
                }

                ParseList(s, ref i, depth + 1, names, parameter);
                if (i >= s.Length || s[i] != '}')
                {
                    throw Error(parameter, s, "a '{' is not closed");
                }

                i++;
            }

            if (i < s.Length && s[i] == ',')
            {
                i++;
                continue;
            }

            return;
        }
    }

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or ':' or '/' or '#' or '.' or '-' or '@' or '%';

    private static NgsiLdException Error(string parameter, string expression, string problem) =>
        NgsiLdException.BadData($"{parameter}='{(expression.Length > 80 ? expression[..80] + "…" : expression)}' is not a valid projection: {problem}.");
}
