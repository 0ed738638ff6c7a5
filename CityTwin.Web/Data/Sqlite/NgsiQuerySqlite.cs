using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CityTwin.Domain.Vocabulary;
using CityTwin.Web.Features.Interop;

// The q-language's SQLite prefilter lives with the other SQLite-only SQL (Data/Sqlite) but needs the query's syntax tree.
namespace CityTwin.Web.Features.NgsiLd;

public sealed partial class NgsiQuery
{
    /// <summary>Lifecycle IRIs held in numeric columns of <c>Assets</c>.</summary>
    private static readonly Dictionary<string, string> NumericColumns = new(StringComparer.Ordinal)
    {
        [CityTwinTerms.Condition] = "a.Condition",
        [CityTwinTerms.Criticality] = "a.Criticality",
        [CityTwinTerms.ExpectedLifeYears] = "a.ExpectedLifeYears",
        [CityTwinTerms.ReplacementCost] = "a.ReplacementCost",
    };

    private static readonly HashSet<string> LifecycleIris = [.. CityTwinContext.Lifecycle.Values];

    /// <summary>
    /// A SQLite condition on <c>Assets a</c> that every entity matching this query satisfies (a superset: the query
    /// itself still decides), so the database skips the rows that cannot match; null when nothing can be narrowed.
    /// Comparisons of a plain attribute with one number (==, &lt;, &lt;=, &gt;, &gt;=) or one string (==) and
    /// existence tests are translated; a value of any other shape (a literal object, a list, a relationship kept
    /// whole, a LanguageProperty…) lets the row through. <paramref name="parameters"/> receives the values
    /// (placeholders <c>{n}</c>, as FromSqlRaw takes them).
    /// </summary>
    public string? SqlitePrefilter(List<object> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Sql(_root, parameters);
    }

    private static string? Sql(Node node, List<object> p) => node switch
    {
        Or or => or.Terms.Select(t => Sql(t, p)).ToList() is var terms && terms.TrueForAll(t => t is not null) ? "(" + string.Join(" OR ", terms) + ")" : null,
        And and => and.Terms.Select(t => Sql(t, p)).OfType<string>().ToList() is { Count: > 0 } terms ? "(" + string.Join(" AND ", terms) + ")" : null,
        Comparison c => Sql(c, p),
        _ => null,
    };

    private static string? Sql(Comparison c, List<object> p)
    {
        if (c.Members.Count > 0 || c.Keys.Count > 0 || c.Range || c.Values.Count > 1 || c.Attribute.Contains('"', StringComparison.Ordinal) ||
            c.Attribute.Contains('\\', StringComparison.Ordinal) || c.Attribute == NgsiTerms.Location)
        {
            return null;
        }

        string Param(object value)
        {
            p.Add(value);
            return "{" + (p.Count - 1).ToString(CultureInfo.InvariantCulture) + "}";
        }

        var number = c.Values is [JsonValue v] && v.GetValueKind() == JsonValueKind.Number ? NgsiTerms.Number(v) : (double?)null;
        var text = c.Values is [JsonValue s] && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : null;
        var op = c.Op switch { "==" => "=", ">" or ">=" or "<" or "<=" => c.Op, _ => null };
        var attribute = Param("$.\"" + c.Attribute + "\"");
        if (NumericColumns.TryGetValue(c.Attribute, out var column))
        {
            // The column (catalogue types) or an attribute of that IRI kept in the document (generic types).
            return number is { } n && op is not null ? $"({column} {op} {Param(n)} OR json_type(a.Attributes, {attribute}) IS NOT NULL)" : null;
        }

        if (LifecycleIris.Contains(c.Attribute))
        {
            return null;
        }

        if (NgsiEntityStore.IsNameAttribute(c.Attribute) && !(text is not null && op == "="))
        {
            return null; // a name may be the registry's, reflected onto the attribute or added: only equality narrows
        }

        var value = Param("$.\"" + c.Attribute + "\".value");
        var linked = $"EXISTS (SELECT 1 FROM AssetLinks l WHERE l.AssetId = a.Id AND l.Iri = {Param(c.Attribute)}";
        if (c.Op is null)
        {
            return $"(json_type(a.Attributes, {attribute}) IS NOT NULL OR {linked}))";
        }

        if (number is { } x && op is not null)
        {
            var sql = new StringBuilder();
            sql.Append(CultureInfo.InvariantCulture, $"(CASE json_type(a.Attributes, {value}) WHEN 'integer' THEN json_extract(a.Attributes, {value}) {op} {Param(x)}");
            sql.Append(CultureInfo.InvariantCulture, $" WHEN 'real' THEN json_extract(a.Attributes, {value}) {op} {Param(x)}");
            sql.Append(CultureInfo.InvariantCulture, $" ELSE json_type(a.Attributes, {attribute}) IS NOT NULL END)");
            return sql.ToString();
        }

        if (text is not null && op == "=")
        {
            var target = Param(text);
            var stored = $"(CASE json_type(a.Attributes, {value}) WHEN 'text' THEN json_extract(a.Attributes, {value}) = {target}" +
                         $" ELSE json_type(a.Attributes, {attribute}) IS NOT NULL OR {linked} AND l.TargetId = {target}) END)";
            // An entity of another system's type shows the registry's name (a curator's rename) on its name attribute.
            return NgsiEntityStore.IsNameAttribute(c.Attribute) ? $"(a.Name = {target} OR {stored})" : stored;
        }

        return null;
    }
}
