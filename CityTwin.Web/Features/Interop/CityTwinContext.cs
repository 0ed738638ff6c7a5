using System.Text.Json;
using CityTwin.Domain.Assets;
using CityTwin.Domain.Vocabulary;

namespace CityTwin.Web.Features.Interop;

/// <summary>
/// CityTwin's JSON-LD context, generated from the asset type catalogue: every type name and every attribute term whose
/// IRI is unambiguous across types, plus CityTwin's lifecycle vocabulary. Served at <see cref="Path"/>; exports
/// compact IRIs with it and keep the full IRI for the few terms two types define differently.
/// </summary>
public static class CityTwinContext
{
    public const string Path = "/ngsi-ld/contexts/citytwin.jsonld";
    public const string CoreContext = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld";

    /// <summary>Lifecycle columns as NGSI-LD attributes: term → IRI.</summary>
    public static IReadOnlyDictionary<string, string> Lifecycle { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = CityTwinTerms.SdmCommon("name"),
        ["description"] = CityTwinTerms.SdmCommon("description"),
        ["address"] = CityTwinTerms.SdmCommon("address"),
        ["lifecycleStatus"] = CityTwinTerms.LifecycleStatus,
        ["condition"] = CityTwinTerms.Condition,
        ["inspectedOn"] = CityTwinTerms.InspectedOn,
        ["installedOn"] = CityTwinTerms.InstalledOn,
        ["expectedServiceLife"] = CityTwinTerms.ExpectedLifeYears,
        ["replacementCost"] = CityTwinTerms.ReplacementCost,
        ["criticality"] = CityTwinTerms.Criticality,
        ["ownerDepartment"] = CityTwinTerms.Department,
        ["district"] = CityTwinTerms.District,
        ["publicationClass"] = CityTwinTerms.PublicationClass,
    };

    private static readonly Lazy<IReadOnlyDictionary<string, string>> TermsLazy = new(BuildTerms);

    /// <summary>term → IRI for every unambiguous term.</summary>
    public static IReadOnlyDictionary<string, string> Terms => TermsLazy.Value;

    private static readonly Lazy<IReadOnlyDictionary<string, string>> CompactLazy = new(() =>
        Terms.GroupBy(t => t.Value).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.Ordinal));

    /// <summary>The term for an IRI, or the IRI itself when no unambiguous term exists.</summary>
    public static string Compact(string iri) => CompactLazy.Value.GetValueOrDefault(iri) ?? iri;

    private static Dictionary<string, string> BuildTerms()
    {
        var candidates = new List<(string Term, string Iri)>();
        candidates.AddRange(Lifecycle.Select(l => (l.Key, l.Value)));
        candidates.AddRange(AssetTypeCatalog.All.Select(t => (t.Name, t.Iri)));
        candidates.AddRange(AssetTypeCatalog.All.SelectMany(t => t.Attributes).Select(a => (a.Term, a.Iri)));
        return candidates
            .GroupBy(c => c.Term, StringComparer.Ordinal)
            .Where(g => g.Select(c => c.Iri).Distinct(StringComparer.Ordinal).Count() == 1)
            .ToDictionary(g => g.Key, g => g.First().Iri, StringComparer.Ordinal);
    }

    /// <summary>The context document (application/ld+json).</summary>
    public static string Document()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("@context");
            foreach (var (term, iri) in Terms.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                w.WriteString(term, iri);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
