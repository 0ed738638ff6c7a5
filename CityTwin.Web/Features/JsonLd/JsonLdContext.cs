using System.Collections.Frozen;
using System.Text.Json;

namespace CityTwin.Web.Features.JsonLd;

/// <summary>
/// An active JSON-LD context reduced to what NGSI-LD needs: term → IRI definitions (plain strings, <c>@id</c>
/// objects, compact IRIs through prefixes) and <c>@vocab</c>. Immutable; build with <see cref="Builder"/>.
/// </summary>
public sealed class JsonLdContext
{
    public const string DefaultVocab = "https://uri.etsi.org/ngsi-ld/default-context/";

    private readonly FrozenDictionary<string, string> _terms;
    private readonly Lazy<FrozenDictionary<string, string>> _reverse;

    private JsonLdContext(Dictionary<string, string> terms, string? vocab)
    {
        _terms = terms.ToFrozenDictionary(StringComparer.Ordinal);
        Vocab = vocab;
        _reverse = new Lazy<FrozenDictionary<string, string>>(() => _terms
            .Where(t => !t.Value.StartsWith('@'))
            .GroupBy(t => t.Value, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(t => t.Key.Length).ThenBy(t => t.Key, StringComparer.Ordinal).First().Key, StringComparer.Ordinal));
        _prefixes = new Lazy<List<(string, string)>>(() => [.. _terms
            .Where(t => !t.Key.Contains(':', StringComparison.Ordinal) && t.Value.Length > 0 && t.Value[^1] is '/' or '#' or ':' or '?' or '[' or ']' or '@')
            .Select(t => (t.Key, t.Value))]);
    }

    public string? Vocab { get; }

    /// <summary>Expands a term, compact IRI or absolute IRI used as a key or type.</summary>
    public string Expand(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        if (_terms.TryGetValue(term, out var iri))
        {
            return iri;
        }

        var colon = term.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            var prefix = term[..colon];
            if (_terms.TryGetValue(prefix, out var ns) && !term.AsSpan(colon + 1).StartsWith("//"))
            {
                return ns + term[(colon + 1)..];
            }

            return term; // an absolute IRI (urn:, https:, …)
        }

        return (Vocab ?? DefaultVocab) + term;
    }

    /// <summary>
    /// Compacts an IRI as JSON-LD's IRI compaction does for keys and types: the shortest term defined for it; else
    /// the vocabulary-relative form, unless that suffix is itself a term (it would expand elsewhere); else a compact
    /// IRI through a prefix term (<c>ngsi-ld:default-context/x</c>) that is not itself a term; else the IRI.
    /// </summary>
    public string Compact(string iri)
    {
        ArgumentNullException.ThrowIfNull(iri);
        if (_compacted.TryGetValue(iri, out var cached))
        {
            return cached;
        }

        var result = CompactUncached(iri);
        if (_compacted.Count < 10_000)
        {
            _compacted[iri] = result;
        }

        return result;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _compacted = new(StringComparer.Ordinal);

    private string CompactUncached(string iri)
    {
        if (_reverse.Value.TryGetValue(iri, out var term))
        {
            return term;
        }

        if (Vocab is not null && iri.StartsWith(Vocab, StringComparison.Ordinal) && iri.Length > Vocab.Length && !_terms.ContainsKey(iri[Vocab.Length..]))
        {
            return iri[Vocab.Length..];
        }

        string? best = null;
        foreach (var (prefix, ns) in _prefixes.Value)
        {
            if (iri.Length > ns.Length && iri.StartsWith(ns, StringComparison.Ordinal))
            {
                var candidate = prefix + ":" + iri[ns.Length..];
                if (!_terms.ContainsKey(candidate) && (best is null || candidate.Length < best.Length || (candidate.Length == best.Length && string.CompareOrdinal(candidate, best) < 0)))
                {
                    best = candidate;
                }
            }
        }

        return best ?? iri;
    }

    /// <summary>Terms usable as prefixes: simple terms whose IRI ends with a gen-delim (/, #, :, ?, [, ], @).</summary>
    private readonly Lazy<List<(string Prefix, string Namespace)>> _prefixes;

    /// <summary>Accumulates context definitions in order (later definitions win, as in JSON-LD).</summary>
    public sealed class Builder
    {
        private readonly Dictionary<string, string> _raw = new(StringComparer.Ordinal);
        private string? _vocab;

        /// <summary>Adds the definitions of one context object (the value of <c>@context</c> once URLs are resolved).</summary>
        public Builder Add(JsonElement context)
        {
            if (context.ValueKind != JsonValueKind.Object)
            {
                throw new JsonLdException("InvalidRequest", "A local @context must be a JSON object.");
            }

            foreach (var entry in context.EnumerateObject())
            {
                switch (entry.Name)
                {
                    case "@vocab":
                        _vocab = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString() : null;
                        continue;
                    case "@version" or "@protected" or "@base" or "@language" or "@propagate" or "@import" or "@direction":
                        continue;
                }

                switch (entry.Value.ValueKind)
                {
                    case JsonValueKind.String:
                        _raw[entry.Name] = entry.Value.GetString()!;
                        break;
                    case JsonValueKind.Object when entry.Value.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String:
                        _raw[entry.Name] = id.GetString()!;
                        break;
                    case JsonValueKind.Object:
                        // e.g. {"@type": "@id"} for a term whose IRI comes from the vocabulary
                        _raw.TryAdd(entry.Name, entry.Name);
                        break;
                    case JsonValueKind.Null:
                        _raw.Remove(entry.Name);
                        break;
                }
            }

            return this;
        }

        public Builder Add(IReadOnlyDictionary<string, string> terms)
        {
            ArgumentNullException.ThrowIfNull(terms);
            foreach (var (term, iri) in terms)
            {
                _raw[term] = iri;
            }

            return this;
        }

        public JsonLdContext Build()
        {
            var resolved = new Dictionary<string, string>(_raw.Count, StringComparer.Ordinal);
            foreach (var term in _raw.Keys)
            {
                resolved[term] = Resolve(term, 0);
            }

            return new JsonLdContext(resolved, _vocab);
        }

        private string Resolve(string term, int depth)
        {
            var raw = _raw[term];
            if (depth > 8 || raw.StartsWith('@'))
            {
                return raw;
            }

            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                var prefix = raw[..colon];
                if (prefix != term && _raw.ContainsKey(prefix) && !raw.AsSpan(colon + 1).StartsWith("//"))
                {
                    return Resolve(prefix, depth + 1) + raw[(colon + 1)..];
                }

                return raw;
            }

            if (raw != term && _raw.ContainsKey(raw))
            {
                return Resolve(raw, depth + 1);
            }

            return (_vocab ?? DefaultVocab) + raw;
        }
    }
}

/// <summary>A JSON-LD problem with its NGSI-LD error type (e.g. <c>LdContextNotAvailable</c>, <c>InvalidRequest</c>).</summary>
public sealed class JsonLdException(string errorType, string message) : Exception(message)
{
    public string ErrorType { get; } = errorType;
}
