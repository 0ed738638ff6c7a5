namespace CityTwin.Web.Features.NgsiLd;

/// <summary>
/// The <c>pick</c> / <c>omit</c> projection language (NGSI-LD 1.8, 4.21): names separated by commas, each optionally
/// followed by a braced list for the entities it links to (<c>id,locatedAt{name}</c>), used by linked-entity
/// retrieval (<c>join</c>, 4.5.23). A malformed expression is BadRequestData naming the problem.
/// </summary>
public static class NgsiProjection
{
    /// <summary>Members of an entity that pick/omit may name besides its attributes.</summary>
    public static readonly IReadOnlySet<string> CoreMembers = new HashSet<string>(StringComparer.Ordinal) { "id", "type", "scope", "@context" };

    public static IReadOnlyList<string> Parse(string expression, string parameter) => ParseTree(expression, parameter).Names;

    /// <summary>The whole expression: the names of this level and, per name, the projection of the entities it links to.</summary>
    public static NgsiProjectionTree ParseTree(string expression, string parameter)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var tree = new NgsiProjectionTree();
        var position = 0;
        ParseList(expression, ref position, tree, parameter);
        if (position != expression.Length)
        {
            throw Error(parameter, expression, $"unexpected '{expression[position]}' at position {position + 1}");
        }

        return tree;
    }

    private static void ParseList(string s, ref int i, NgsiProjectionTree level, string parameter)
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

            var name = s[start..i];
            level.Names.Add(name);
            if (i < s.Length && s[i] == '{')
            {
                i++;
                if (i < s.Length && s[i] == '{')
                {
                    throw Error(parameter, s, $"'{{{{' at position {i}");
                }

                var child = new NgsiProjectionTree();
                level.Children[name] = child;
                ParseList(s, ref i, child, parameter);
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

/// <summary>One level of a pick/omit expression: its names and, per name, the projection of the linked entities.</summary>
public sealed class NgsiProjectionTree
{
    public List<string> Names { get; } = [];

    public Dictionary<string, NgsiProjectionTree> Children { get; } = new(StringComparer.Ordinal);
}
