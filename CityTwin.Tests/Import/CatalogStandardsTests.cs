using System.Text.Json;
using CityTwin.Domain.Assets;
using CityTwin.Web.Features.Interop;
using CityTwin.Web.Features.JsonLd;

namespace CityTwin.Tests.Import;

/// <summary>The asset type catalogue against the official Smart Data Models documents it claims to follow.</summary>
public sealed class CatalogStandardsTests
{
    public static TheoryData<string> SdmTypes => [.. AssetTypeCatalog.All.Where(t => t.SdmSubject is not null).Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(SdmTypes))]
    public void EveryAttributeTerm_ExpandsToItsIri_ThroughCityTwinsOrTheSubjectsContext(string typeName)
    {
        var type = AssetTypeCatalog.Find(typeName)!;
        using var subject = JsonDocument.Parse(StandardDocuments.Read(
            StandardDocuments.Contexts[StandardDocuments.SdmContextUrl(type.SdmSubject!)]));
        var terms = subject.RootElement.GetProperty("@context");
        foreach (var attribute in type.Attributes)
        {
            var viaCityTwin = CityTwinContext.Terms.TryGetValue(attribute.Term, out var iri) && iri == attribute.Iri;
            var viaSubject = terms.TryGetProperty(attribute.Term, out var mapped) && mapped.ValueKind == JsonValueKind.String && mapped.GetString() == attribute.Iri;
            Assert.True(viaCityTwin || viaSubject || attribute.Iri.StartsWith("https://w3id.org/citytwin/", StringComparison.Ordinal),
                $"{typeName}.{attribute.Term} ({attribute.Iri}) is named by neither context");
        }
    }

    [Theory]
    [MemberData(nameof(SdmTypes))]
    public void ListAttributes_AreExactlyTheOnesTheSchemaDeclaresAsArrays(string typeName)
    {
        var type = AssetTypeCatalog.Find(typeName)!;
        if (!StandardDocuments.SchemaModels.Contains(typeName))
        {
            return;
        }

        using var schema = JsonDocument.Parse(StandardDocuments.Read(StandardDocuments.SchemaResource(typeName)));
        var declared = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        Collect(schema.RootElement, declared);
        var compared = 0;
        foreach (var attribute in type.Attributes.Where(a => declared.ContainsKey(a.Term)))
        {
            var isArray = declared[attribute.Term].TryGetProperty("type", out var t) && t.GetString() == "array";
            Assert.True(isArray == attribute.IsList, $"{typeName}.{attribute.Term}: schema array = {isArray}, catalogue list = {attribute.IsList}");
            compared++;
        }

        Assert.True(compared > 0, $"no attribute of {typeName} found in its schema");
    }

    /// <summary>Property schemas of the model file: its own "properties" and those of its allOf/anyOf parts.</summary>
    private static void Collect(JsonElement schema, Dictionary<string, JsonElement> into)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var p in properties.EnumerateObject())
            {
                into.TryAdd(p.Name, p.Value);
            }
        }

        foreach (var keyword in new[] { "allOf", "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(keyword, out var parts))
            {
                foreach (var part in parts.EnumerateArray())
                {
                    Collect(part, into);
                }
            }
        }
    }
}
