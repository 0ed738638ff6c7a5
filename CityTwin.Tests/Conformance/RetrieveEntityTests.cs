using System.Text.Json.Nodes;

namespace CityTwin.Tests.Conformance;

/// <summary>ETSI 018 — Retrieve Entity (TP/NGSI-LD/ContextInformation/Consumption/Entity/RetrieveEntity).</summary>
[Collection(EtsiCollection.Name)]
[Trait("etsi", "e-retrieve")]
public sealed class RetrieveEntityTests(EtsiBroker broker)
{
    private const string Suite = EtsiBroker.SuiteContext;
    private readonly HttpClient _client = broker.Client();

    private async Task<string> CreateAsync(string file, string contentType = "application/ld+json", string? link = null)
    {
        var id = Etsi.RandomId("Building");
        Etsi.Status(201, await Etsi.CreateEntityAsync(_client, file, id, contentType, link));
        return id;
    }

    [Theory(DisplayName = "018_01, 018_04, 018_05, 018_06, 018_08, 018_09, 018_15 Retrieve Entity representations")]
    [InlineData("018_01_01", "building-simple-attributes.jsonld", null, "application/ld+json", null, null, "building-simple-attributes.jsonld", true)]
    [InlineData("018_01_02", "building-simple-attributes.jsonld", null, "application/ld+json", null,
        "attrs=https://ngsi-ld-test-suite/context%23airQualityLevel,https://ngsi-ld-test-suite/context%23subCategory", "building-simple-attributes-query.jsonld", true)]
    [InlineData("018_04_01", "building-simple-attributes.jsonld", null, "application/ld+json", null, "options=keyValues", "building-simple-attributes-simplified.jsonld", true)]
    [InlineData("018_05_01", "building-two-geometry-attributes.jsonld", null, "application/geo+json", Suite, "options=keyValues", "building-two-geometry-attribute-simplified.geojson", false)]
    [InlineData("018_05_02", "building-two-geometry-attributes.jsonld", null, "application/geo+json", Suite, null, "building-two-geometry-attribute-normalized.geojson", false)]
    [InlineData("018_05_03", "building-two-geometry-attributes.jsonld", null, "application/geo+json", Suite, "geometryProperty=observationSpace", "building-two-geometry-property-on-observation-space.geojson", false)]
    [InlineData("018_05_04", "building-two-geometry-attributes.jsonld", null, "application/geo+json", Suite, "geometryProperty=operationSpace", "building-two-geometry-property-on-nonexistent-operation-space.geojson", false)]
    [InlineData("018_06_01", "building-simple-attributes.json", Suite, "application/json", null, null, "building-simple-attributes-expanded.json", false)]
    [InlineData("018_06_02", "building-simple-attributes.json", Suite, "application/json", Suite, null, "building-simple-attributes-compacted.json", false)]
    [InlineData("018_08_01", "building-observation-space-geoproperty.jsonld", null, null, Suite, "options=keyValues", "building-observation-space-geoproperty-simplified.jsonld", false)]
    [InlineData("018_08_02", "building-observation-space-geoproperty.jsonld", null, null, Suite, null, "building-observation-space-geoproperty-normalized.jsonld", false)]
    [InlineData("018_09_01", "building-operation-space-geoproperty.jsonld", null, null, Suite, "options=keyValues", "building-operation-space-geoproperty-simplified.jsonld", false)]
    [InlineData("018_09_02", "building-operation-space-geoproperty.jsonld", null, null, Suite, null, "building-operation-space-geoproperty-normalized.jsonld", false)]
    [InlineData("018_15_01", "building-simple-attributes.jsonld", null, "application/ld+json", null, "format=keyValues", "building-simple-attributes-simplified.jsonld", true)]
    [InlineData("018_15_02", "building-simple-attributes.jsonld", null, "application/ld+json", null, "format=simplified", "building-simple-attributes-simplified.jsonld", true)]
    [InlineData("018_15_03", "building-simple-attributes.jsonld", null, "application/ld+json", null, "format=normalized", "building-simple-attributes.jsonld", true)]
    [InlineData("018_15_04", "building-simple-attributes.jsonld", null, "application/ld+json", null, "options=keyValues", "building-simple-attributes-simplified.jsonld", true)]
    [InlineData("018_15_05", "building-simple-attributes.jsonld", null, "application/ld+json", null, "options=simplified", "building-simple-attributes-simplified.jsonld", true)]
    [InlineData("018_15_06", "building-simple-attributes.jsonld", null, "application/ld+json", null, "options=normalized", "building-simple-attributes.jsonld", true)]
    [InlineData("018_15_07", "building-simple-attributes.jsonld", null, "application/ld+json", null, "format=keyValues&options=normalized", "building-simple-attributes-simplified.jsonld", true)]
    public async Task Etsi_018_Representations(string etsiId, string file, string? createLink, string? accept, string? link, string? query, string expectation, bool ignoreCoreVersion)
    {
        Assert.StartsWith("018_", etsiId, StringComparison.Ordinal);
        var id = await CreateAsync(file, file.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "application/ld+json", createLink);
        await Etsi.EntityElementAsync(expectation, id, await Etsi.RetrieveEntityAsync(_client, id, accept, link, query), ignoreCoreVersion);
        await Etsi.DeleteEntityAsync(_client, id);
    }

    [Fact(DisplayName = "018_02_01 Get An Entity If The Entity Id Is Not A Valid URI")]
    public async Task Etsi_018_02_01() =>
        await Etsi.ProblemAsync(await Etsi.RetrieveEntityAsync(_client, "thisisaninvaliduri", "application/ld+json"), 400, "BadRequestData");

    [Fact(DisplayName = "018_03_01 Get An Entity If The Entity Id Is Not Known To The System")]
    public async Task Etsi_018_03_01() =>
        await Etsi.ProblemAsync(await Etsi.RetrieveEntityAsync(_client, Etsi.RandomId("Building"), "application/ld+json"), 404, "ResourceNotFound");

    [Fact(DisplayName = "018_03_02 Get An Entity If An Attribute Is Not Known To The System")]
    public async Task Etsi_018_03_02()
    {
        var id = await CreateAsync("building-simple-attributes.jsonld");
        await Etsi.ProblemAsync(await Etsi.RetrieveEntityAsync(_client, id, "application/ld+json", query: "attrs=property_not_found"), 404, "ResourceNotFound");
        await Etsi.DeleteEntityAsync(_client, id);
    }

    [Theory(DisplayName = "018_07 Retrieve An Entity Using Natural Languages")]
    [InlineData("018_07_01", "lang=fr", "building-language-property-fr-filter.jsonld")]
    [InlineData("018_07_02", "lang=fr-CH,fr", "building-language-property-fr-filter.jsonld")]
    [InlineData("018_07_03", "lang=*", "building-language-property-any-language-filter.jsonld")]
    [InlineData("018_07_04", "lang=fr-CH,fr%3Bq%3D0.9,en%3Bq%3D0.8,*%3Bq%3D0.5", "building-language-property-fr-filter.jsonld")]
    [InlineData("018_07_05", "lang=fr&options=keyValues", "building-language-property-fr-filter-simplified.jsonld")]
    [InlineData("018_07_06", "lang=*&options=keyValues", "building-language-property-any-language-filter-simplified.jsonld")]
    public async Task Etsi_018_07(string etsiId, string query, string expectation)
    {
        Assert.StartsWith("018_07_", etsiId, StringComparison.Ordinal);
        var id = await CreateAsync("building-language-property.jsonld");
        await Etsi.EntityElementAsync(expectation, id, await Etsi.RetrieveEntityAsync(_client, id, "application/ld+json", Suite, query));
        await Etsi.DeleteEntityAsync(_client, id);
    }

    [Theory(DisplayName = "018_16 Retrieve With Invalid Format Or Options")]
    [InlineData("018_16_01", "format=invalidFormat")]
    [InlineData("018_16_02", "options=invalidOptions")]
    [InlineData("018_16_03", "options=keyValues,invalid")]
    [InlineData("018_16_04", "options=invalid&format=keyValues")]
    public async Task Etsi_018_16(string etsiId, string query)
    {
        Assert.StartsWith("018_16_", etsiId, StringComparison.Ordinal);
        await Etsi.ProblemAsync(await Etsi.RetrieveEntityAsync(_client, Etsi.RandomId("Building"), "application/ld+json", query: query), 400, "InvalidRequest");
    }

    [Theory(DisplayName = "018_17 Retrieve With Pick And Omit")]
    [InlineData("018_17_01", "pick=name", "building-simple-attributes-pick-name.json")]
    [InlineData("018_17_02", "omit=name", "building-simple-attributes-omit-name.json")]
    [InlineData("018_17_03", "pick=id", "building-simple-attributes-pick-id.json")]
    [InlineData("018_17_04", "omit=id", "building-simple-attributes-omit-id.json")]
    [InlineData("018_17_05", "pick=id,name", "building-simple-attributes-pick-id-name.json")]
    [InlineData("018_17_06", "omit=type,name", "building-simple-attributes-omit-type-name.json")]
    public async Task Etsi_018_17(string etsiId, string query, string expectation)
    {
        Assert.StartsWith("018_17_", etsiId, StringComparison.Ordinal);
        var id = await CreateAsync("building-simple-attributes.jsonld");
        await Etsi.EntityElementAsync("pick-omit/" + expectation, id, await Etsi.RetrieveEntityAsync(_client, id, "application/json", Suite, query));
        await Etsi.DeleteEntityAsync(_client, id);
    }

    [Theory(DisplayName = "018_18 / 018_19 Retrieve With Invalid Or Empty Projections")]
    [InlineData("018_18_01", "pick=name&omit=name", 400, "BadRequestData")]
    [InlineData("018_18_02", "pick=name&attrs=category", 400, "BadRequestData")]
    [InlineData("018_18_03", "omit=name&attrs=category", 400, "BadRequestData")]
    [InlineData("018_18_04", "pick=id%3Bname", 400, "BadRequestData")]
    [InlineData("018_18_05", "pick=id,locatedAt%7Bname", 400, "BadRequestData")]
    [InlineData("018_18_06", "pick=id,locatedAt%7B%7Bname%7D", 400, "BadRequestData")]
    [InlineData("018_18_07", "pick=id,,name", 400, "BadRequestData")]
    [InlineData("018_18_08", "pick=id,locatedAt%7B,name%7D", 400, "BadRequestData")]
    [InlineData("018_18_09", "pick=id,locatedAt%7B%7D", 400, "BadRequestData")]
    [InlineData("018_19_01", "pick=unknown", 404, "ResourceNotFound")]
    [InlineData("018_19_02", "omit=id,type,name,subCategory,airQualityLevel,almostFull", 404, "ResourceNotFound")]
    public async Task Etsi_018_18_19(string etsiId, string query, int status, string error)
    {
        Assert.StartsWith("018_1", etsiId, StringComparison.Ordinal);
        var id = await CreateAsync("building-simple-attributes.jsonld");
        await Etsi.ProblemAsync(await Etsi.RetrieveEntityAsync(_client, id, "application/json", Suite, query), status, error);
        await Etsi.DeleteEntityAsync(_client, id);
    }

    /// <summary>Beyond the suite: a citizen (no key) sees public entities only; the geo+json media type is offered on retrieval.</summary>
    [Fact]
    public async Task Anonymous_RetrievesPublicEntities_AndGetsJsonWithALinkHeader()
    {
        var id = await CreateAsync("building-simple-attributes.jsonld");
        var response = await broker.CreateClient().GetAsync(Etsi.Entities + id);
        Etsi.Status(200, response);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("json-ld#context", string.Join(",", response.Headers.GetValues("Link")), StringComparison.Ordinal);
        Assert.Equal(id, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        await Etsi.DeleteEntityAsync(_client, id);
    }
}
