namespace CityTwin.Web.Features.NgsiLd;

/// <summary>
/// The small boolean languages of <c>type</c> (4.17, entity type selection) and <c>scopeQ</c> (4.19): atoms joined by
/// <c>;</c> (and) and <c>,</c> or <c>|</c> (or), grouped by parentheses; <c>;</c> binds tighter. Atoms are type names or
/// scope patterns; the caller says what an atom means for an entity.
/// </summary>
public sealed class NgsiSelectionLanguage
{
    private readonly Func<Func<string, bool>, bool> _evaluate;

    private NgsiSelectionLanguage(Func<Func<string, bool>, bool> evaluate, IReadOnlyList<string> atoms)
    {
        _evaluate = evaluate;
        Atoms = atoms;
    }

    /// <summary>Every atom of the expression (e.g. all type names mentioned, for a database pre-filter).</summary>
    public IReadOnlyList<string> Atoms { get; }

    public bool Matches(Func<string, bool> atom) => _evaluate(atom);

    public static NgsiSelectionLanguage Parse(string text, string parameter)
    {
        ArgumentNullException.ThrowIfNull(text);
        var atoms = new List<string>();
        var i = 0;
        var expression = Or(text, ref i, atoms, parameter);
        if (i != text.Length)
        {
            throw NgsiLdException.BadData($"{parameter}='{text}': unexpected '{text[i]}' at position {i + 1}.");
        }

        return new NgsiSelectionLanguage(expression, atoms);
    }

    private static Func<Func<string, bool>, bool> Or(string s, ref int i, List<string> atoms, string parameter)
    {
        var terms = new List<Func<Func<string, bool>, bool>> { And(s, ref i, atoms, parameter) };
        while (i < s.Length && s[i] is ',' or '|')
        {
            i++;
            terms.Add(And(s, ref i, atoms, parameter));
        }

        return terms.Count == 1 ? terms[0] : atom => terms.Any(t => t(atom));
    }

    private static Func<Func<string, bool>, bool> And(string s, ref int i, List<string> atoms, string parameter)
    {
        var terms = new List<Func<Func<string, bool>, bool>> { Term(s, ref i, atoms, parameter) };
        while (i < s.Length && s[i] == ';')
        {
            i++;
            terms.Add(Term(s, ref i, atoms, parameter));
        }

        return terms.Count == 1 ? terms[0] : atom => terms.All(t => t(atom));
    }

    private static Func<Func<string, bool>, bool> Term(string s, ref int i, List<string> atoms, string parameter)
    {
        if (i < s.Length && s[i] == '(')
        {
            i++;
            var inner = Or(s, ref i, atoms, parameter);
            if (i >= s.Length || s[i] != ')')
            {
                throw NgsiLdException.BadData($"{parameter}='{s}': a '(' is not closed.");
            }

            i++;
            return inner;
        }

        var start = i;
        while (i < s.Length && s[i] is not (',' or '|' or ';' or '(' or ')'))
        {
            i++;
        }

        var name = s[start..i].Trim();
        if (name.Length == 0)
        {
            throw NgsiLdException.BadData($"{parameter}='{s}': a name is expected at position {start + 1}.");
        }

        atoms.Add(name);
        return atom => atom(name);
    }

    /// <summary>Whether an entity scope matches a scopeQ pattern: exact, <c>+</c> one level, <c>#</c> this level and below.</summary>
    public static bool ScopeMatches(string scope, string pattern)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(pattern);
        var have = scope.Trim('/').Split('/');
        var want = pattern.Trim('/').Split('/');
        for (var k = 0; k < want.Length; k++)
        {
            if (want[k] == "#")
            {
                return true;
            }

            if (k >= have.Length || (want[k] != "+" && want[k] != have[k]))
            {
                return false;
            }
        }

        return have.Length == want.Length;
    }
}
