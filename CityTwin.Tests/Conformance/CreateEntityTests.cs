using System.Text.Json.Nodes;

namespace CityTwin.Tests.Conformance;

/// <summary>ETSI 001 — Create Entity (TP/NGSI-LD/ContextInformation/Provision/Entities/CreateEntity).</summary>
[Collection(EtsiCollection.Name)]
[Trait("etsi", "e-create")]
public sealed class CreateEntityTests(EtsiBroker broker)
{
    private readonly HttpClient _client = broker.Client();

    /// <summary>001_01: create, 201 with an empty body and a Location, then the retrieved entity is the payload.</summary>
    [Theory(DisplayName = "001_01 Create Entity Scenarios")]
    [InlineData("001_01_01", "building-minimal.json", "application/json")]
    [InlineData("001_01_02", "building-simple-attributes.jsonld", "application/ld+json")]
    [InlineData("001_01_03", "building-relationship-of-property.jsonld", "application/ld+json")]
    [InlineData("001_01_04", "building-location-attribute.jsonld", "application/ld+json")]
    [InlineData("001_01_05", "building-non-core-geoproperty-attribute.jsonld", "application/ld+json")]
    public async Task Etsi_001_01(string etsiId, string file, string contentType)
    {
        Assert.StartsWith("001_01_", etsiId, StringComparison.Ordinal);
        await CreateAndCompareAsync(file, contentType);
    }

    private async Task CreateAndCompareAsync(string file, string contentType)
    {
        var id = Etsi.RandomId("Building");
        var response = await Etsi.CreateEntityAsync(_client, file, id, contentType);
        Etsi.Status(201, response);
        await Etsi.BodyIsEmptyAsync(response);
        Etsi.LocationContains(id, response);
        var created = Etsi.Load("entities/" + file, id);
        var retrieved = contentType == "application/json"
            ? await Etsi.RetrieveEntityAsync(_client, id, accept: contentType)
            : await Etsi.RetrieveEntityAsync(_client, id, accept: contentType, link: EtsiBroker.SuiteContext);
        await Etsi.ResourceSetToAsync(created, retrieved);
        await Etsi.DeleteEntityAsync(_client, id);
    }

    [Theory(DisplayName = "001_02 Create Entity With Invalid Request Scenarios")]
    [InlineData("001_02_01", "invalid-json.jsonld", "InvalidRequest")]
    [InlineData("001_02_02", "empty.jsonld", "InvalidRequest")]
    [InlineData("001_02_03", "building-minimal.json", "BadRequestData")]
    [InlineData("001_02_04", "invalid-type.jsonld", "BadRequestData")]
    public async Task Etsi_001_02(string etsiId, string file, string errorType)
    {
        Assert.StartsWith("001_02_", etsiId, StringComparison.Ordinal);
        await Etsi.ProblemAsync(await Etsi.CreateEntityFromFileAsync(_client, file), 400, errorType);
    }

    [Fact(DisplayName = "001_03_01 Create One Valid Entity And One Invalid Entity")]
    public async Task Etsi_001_03_01()
    {
        var id = Etsi.RandomId("Building");
        Etsi.Status(201, await Etsi.CreateEntityAsync(_client, "building-minimal.jsonld", id, "application/ld+json"));
        await Etsi.ProblemAsync(await Etsi.CreateEntityAsync(_client, "building-minimal.jsonld", id, "application/ld+json"), 409, "AlreadyExists");
        await Etsi.DeleteEntityAsync(_client, id);
    }

    /// <summary>001_04–001_07: which context names the attributes (Link header, default core context, body @context).</summary>
    [Theory(DisplayName = "001_04–001_07 Create Entity And Compact With A Context")]
    [InlineData("001_04_01", "building-simple-attributes.json", "application/json", true, null, true, "almostFull")]
    [InlineData("001_04_02", "building-simple-attributes.json", "application/json", true, null, false, "https://ngsi-ld-test-suite/context#almostFull")]
    [InlineData("001_05_01", "building-simple-attributes.json", "application/json", false, null, false, "almostFull")]
    [InlineData("001_05_02", "building-simple-attributes.json", "application/json", false, "application/json", true, "ngsi-ld:default-context/almostFull")]
    [InlineData("001_07_01", "building-simple-attributes.jsonld", "application/ld+json", false, null, true, "almostFull")]
    [InlineData("001_07_02", "building-simple-attributes.jsonld", "application/ld+json", false, null, false, "https://ngsi-ld-test-suite/context#almostFull")]
    public async Task Etsi_001_04_to_07(string etsiId, string file, string contentType, bool createWithLink, string? accept, bool retrieveWithLink, string attribute)
    {
        Assert.StartsWith("001_0", etsiId, StringComparison.Ordinal);
        var id = Etsi.RandomId("Building");
        Etsi.Status(201, await Etsi.CreateEntityAsync(_client, file, id, contentType, createWithLink ? EtsiBroker.SuiteContext : null));
        var response = await Etsi.RetrieveEntityAsync(_client, id, accept, retrieveWithLink ? EtsiBroker.SuiteContext : null);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(body.ContainsKey(attribute), $"{attribute} in {body.ToJsonString()}");
        Assert.NotNull(body[attribute]);
        await Etsi.DeleteEntityAsync(_client, id);
    }

    [Theory(DisplayName = "001_06/001_08/001_09 Context in the wrong place")]
    [InlineData("001_06_01", "building-simple-attributes.jsonld", "application/json", false)]
    [InlineData("001_08_01", "building-simple-attributes.json", "application/ld+json", false)]
    [InlineData("001_09_01", "building-simple-attributes.jsonld", "application/ld+json", true)]
    public async Task Etsi_001_06_08_09(string etsiId, string file, string contentType, bool link)
    {
        Assert.StartsWith("001_0", etsiId, StringComparison.Ordinal);
        var response = await Etsi.CreateEntityAsync(_client, file, Etsi.RandomId("Building"), contentType, link ? EtsiBroker.SuiteContext : null);
        await Etsi.ProblemAsync(response, 400, "BadRequestData");
    }

    /// <summary>001_10–001_15: other attribute kinds and scopes round-trip unchanged.</summary>
    [Theory(DisplayName = "001_10–001_15 Create Entity With Other Attribute Kinds")]
    [InlineData("001_10_01", "building-language-property.jsonld", "application/ld+json")]
    [InlineData("001_11_01", "building-minimal-with-one-scope.json", "application/json")]
    [InlineData("001_11_02", "building-minimal-with-many-scopes.json", "application/json")]
    [InlineData("001_12", "building-observation-space-geoproperty.jsonld", "application/ld+json")]
    [InlineData("001_13", "building-operation-space-geoproperty.jsonld", "application/ld+json")]
    [InlineData("001_14_01", "building-json-property-object.jsonld", "application/ld+json")]
    [InlineData("001_14_02", "building-json-property-array.jsonld", "application/ld+json")]
    [InlineData("001_15_01", "building-vocab-property-string.jsonld", "application/ld+json")]
    [InlineData("001_15_02", "building-vocab-property-array.jsonld", "application/ld+json")]
    public async Task Etsi_001_10_to_15(string etsiId, string file, string contentType)
    {
        Assert.StartsWith("001_1", etsiId, StringComparison.Ordinal);
        await CreateAndCompareAsync(file, contentType);
    }
}
