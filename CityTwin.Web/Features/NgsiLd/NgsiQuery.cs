using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CityTwin.Web.Features.JsonLd;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>
/// The NGSI-LD query language (<c>q</c>, 4.9): terms joined by <c>;</c> (and, binds tighter) and <c>|</c> (or), with
/// parentheses; a term is an attribute path alone (the attribute exists) or compared with <c>== != &gt; &gt;= &lt; &lt;=</c>,
/// <c>~=</c> / <c>!~=</c> (pattern), a range <c>a..b</c> or a list <c>a,b,c</c>. Paths: <c>attr</c>,
/// <c>attr.subAttribute</c> or <c>attr.observedAt</c>, and <c>attr[key.key]</c> into a structured value. A malformed
/// query is BadRequestData naming the position.
/// </summary>
public sealed partial class NgsiQuery
{
    private readonly Node _root;

    private NgsiQuery(Node root) => _root = root;

    public bool Matches(NgsiEntity entity) => _root.Evaluate(entity);

    /// <summary>The attribute IRIs the query looks at.</summary>
    public IReadOnlySet<string> Attributes => Comparisons(_root).Select(c => c.Attribute).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<Comparison> Comparisons(Node node) => node switch
    {
        Or or => or.Terms.SelectMany(Comparisons),
        And and => and.Terms.SelectMany(Comparisons),
        Comparison comparison => [comparison],
        _ => throw new InvalidOperationException($"Unknown q node {node.GetType().Name}."),
    };

    public static NgsiQuery Parse(string text, JsonLdContext context)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text, context);
        var root = parser.Or();
        if (!parser.End)
        {
            throw parser.Error("unexpected character");
        }

        return new NgsiQuery(root);
    }

    private abstract record Node
    {
        public abstract bool Evaluate(NgsiEntity entity);
    }

    private sealed record Or(List<Node> Terms) : Node
    {
        public override bool Evaluate(NgsiEntity entity) => Terms.Any(t => t.Evaluate(entity));
    }

    private sealed record And(List<Node> Terms) : Node
    {
        public override bool Evaluate(NgsiEntity entity) => Terms.All(t => t.Evaluate(entity));
    }

    private sealed record Comparison(string Attribute, List<string> Members, List<string> Keys, string? Op, List<JsonNode?> Values, bool Range) : Node
    {
        public override bool Evaluate(NgsiEntity entity)
        {
            if (!entity.Attributes.TryGetValue(Attribute, out var instances))
            {
                return false;
            }

            // With several instances, a match on any instance counts.
            return instances.Any(instance => Resolve(instance) is var value && (Op is null ? value is not null : value is not null && Compare(value)));
        }

        private JsonNode? Resolve(JsonObject instance)
        {
            JsonNode? node = instance;
            foreach (var member in Members)
            {
                node = node is JsonObject o ? o[member] : null;
            }

            if (node is JsonObject attribute && attribute["type"] is JsonValue)
            {
                node = NgsiTerms.MainValue(attribute);
            }

            foreach (var key in Keys)
            {
                node = node is JsonObject o ? o[key] : null;
            }

            return node;
        }

        private bool Compare(JsonNode actual)
        {
            if (actual is JsonArray array)
            {
                return array.Any(item => item is not null && Compare(item));
            }

            if (Op is "~=" or "!~=")
            {
                var matches = actual is JsonValue v && v.TryGetValue<string>(out var s) &&
                              Regex.IsMatch(s, Values[0]!.GetValue<string>(), RegexOptions.None, TimeSpan.FromMilliseconds(100));
                return Op == "~=" ? matches : !matches;
            }

            if (Range)
            {
                return Order(actual, Values[0]) >= 0 && Order(actual, Values[1]) <= 0;
            }

            return Op switch
            {
                "==" => Values.Any(v => Order(actual, v) == 0),
                "!=" => Values.All(v => Order(actual, v) != 0),
                ">" => Order(actual, Values[0]) > 0,
                ">=" => Order(actual, Values[0]) >= 0,
                // Values that cannot be compared (a text, a boolean or an object against a number) are not less.
                "<" => Order(actual, Values[0]) is var less and not Incomparable && less < 0,
                "<=" => Order(actual, Values[0]) is var atMost and not Incomparable && atMost <= 0,
                _ => false,
            };
        }

        private const int Incomparable = int.MinValue;

        /// <summary>Compares numbers as numbers, everything else by its JSON text (ISO dates order as text); <see cref="Incomparable"/> when not comparable.</summary>
        private static int Order(JsonNode actual, JsonNode? expected)
        {
            if (actual is JsonValue a && expected is JsonValue e)
            {
                if (a.GetValueKind() == JsonValueKind.Number && e.GetValueKind() == JsonValueKind.Number)
                {
                    return NgsiTerms.Number(a).CompareTo(NgsiTerms.Number(e));
                }

                if (a.GetValueKind() == e.GetValueKind())
                {
                    return string.CompareOrdinal(a.ToJsonString(), e.ToJsonString()) switch { < 0 => -1, > 0 => 1, _ => 0 };
                }

                if (a.GetValueKind() == JsonValueKind.String && e.GetValueKind() != JsonValueKind.String)
                {
                    return string.Equals(a.GetValue<string>(), e.ToJsonString(), StringComparison.Ordinal) ? 0 : Incomparable;
                }
            }

            return Incomparable;
        }
    }

    private sealed class Parser(string text, JsonLdContext context)
    {
        private int _i;

        public bool End => _i >= text.Length;

        public NgsiLdException Error(string problem) =>
            NgsiLdException.BadData($"q='{(text.Length > 80 ? text[..80] + "…" : text)}' is not a valid query: {problem} at position {_i + 1}.");

        public Node Or()
        {
            var terms = new List<Node> { And() };
            while (!End && text[_i] == '|')
            {
                _i++;
                terms.Add(And());
            }

            return terms.Count == 1 ? terms[0] : new Or(terms);
        }

        private Node And()
        {
            var terms = new List<Node> { Term() };
            while (!End && text[_i] == ';')
            {
                _i++;
                terms.Add(Term());
            }

            return terms.Count == 1 ? terms[0] : new And(terms);
        }

        private Node Term()
        {
            if (!End && text[_i] == '(')
            {
                _i++;
                var inner = Or();
                if (End || text[_i] != ')')
                {
                    throw Error("a '(' is not closed");
                }

                _i++;
                return inner;
            }

            var path = Name("an attribute name");
            var parts = NgsiEntityReader.PathSegments(path);
            var attribute = NgsiEntityReader.ExpandName(context, parts[0], parts[0]);
            var members = parts.Skip(1).Select(p => NgsiTerms.Members.Contains(p) ? p : NgsiEntityReader.ExpandName(context, p, p)).ToList();
            var keys = new List<string>();
            if (!End && text[_i] == '[')
            {
                _i++;
                var start = _i;
                while (!End && text[_i] != ']')
                {
                    _i++;
                }

                if (End)
                {
                    throw Error("a '[' is not closed");
                }

                keys.AddRange(text[start.._i].Split('.', StringSplitOptions.RemoveEmptyEntries));
                _i++;
            }

            var op = Operator();
            if (op is null)
            {
                return new Comparison(attribute, members, keys, null, [], false);
            }

            var values = new List<JsonNode?> { Value() };
            var range = false;
            if (text.AsSpan(_i).StartsWith(".."))
            {
                _i += 2;
                values.Add(Value());
                range = true;
            }
            else
            {
                while (!End && text[_i] == ',')
                {
                    _i++;
                    values.Add(Value());
                }
            }

            if ((range || values.Count > 1) && op is not ("==" or "!="))
            {
                throw Error("ranges and lists compare with == or != only");
            }

            return new Comparison(attribute, members, keys, op, values, range);
        }

        private string? Operator()
        {
            foreach (var op in new[] { "==", "!=", ">=", "<=", "!~=", "~=", ">", "<" })
            {
                if (text.AsSpan(_i).StartsWith(op))
                {
                    _i += op.Length;
                    return op;
                }
            }

            return null;
        }

        private string Name(string what)
        {
            var start = _i;
            while (!End && (char.IsLetterOrDigit(text[_i]) || text[_i] is '_' or '.' or ':' or '/' or '#' or '-' or '@') && !text.AsSpan(_i).StartsWith(".."))
            {
                _i++;
            }

            return _i > start ? text[start.._i] : throw Error($"{what} is expected");
        }

        private JsonValue Value()
        {
            if (End)
            {
                throw Error("a value is expected");
            }

            if (text[_i] == '"')
            {
                var close = text.IndexOf('"', _i + 1);
                if (close < 0)
                {
                    throw Error("a string is not closed");
                }

                var s = text[(_i + 1)..close];
                _i = close + 1;
                return JsonValue.Create(s);
            }

            var start = _i;
            while (!End && text[_i] is not (';' or '|' or ')' or ',') && !text.AsSpan(_i).StartsWith(".."))
            {
                _i++;
            }

            var raw = text[start.._i];
            if (raw.Length == 0)
            {
                throw Error("a value is expected");
            }

            if (raw is "true" or "false")
            {
                return JsonValue.Create(raw == "true");
            }

            return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !raw.Contains(':', StringComparison.Ordinal)
                ? JsonValue.Create(number)
                : JsonValue.Create(raw); // URIs of relationships and date-times are written without quotes
        }
    }
}
