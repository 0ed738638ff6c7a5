namespace CityTwin.Tests.Conformance;

/// <summary>ETSI CommonBehaviours/CommonResponses for the entity endpoints implemented so far (043, 045, 048, 049).</summary>
[Collection(EtsiCollection.Name)]
public sealed class CommonResponsesTests(EtsiBroker broker)
{
    private readonly HttpClient _client = broker.Client();

    [Fact(DisplayName = "043_01_01 Create Entity")]
    [Trait("etsi", "e-create")]
    public async Task Etsi_043_01_01()
    {
        var response = await Etsi.CreateEntityAsync(_client, "building-unretrievable-context.jsonld", Etsi.RandomId("Building"), "application/ld+json");
        await Etsi.ProblemAsync(response, 503, "LdContextNotAvailable");
    }

    [Fact(DisplayName = "043_01_04 Batch Entity Create")]
    [Trait("etsi", "be-create")]
    public async Task Etsi_043_01_04()
    {
        var batch = new System.Text.Json.Nodes.JsonArray(
            Etsi.Load("entities/building-unretrievable-context.jsonld", Etsi.RandomId("Building")),
            Etsi.Load("entities/building-unretrievable-context.jsonld", Etsi.RandomId("Building")));
        var response = await _client.PostAsync("/ngsi-ld/v1/entityOperations/create", Etsi.Body(batch.ToJsonString(), "application/ld+json"));
        Etsi.Status(207, response);
        var errors = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsArray();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e =>
        {
            Assert.Equal(Etsi.ErrorPrefix + "LdContextNotAvailable", e!["error"]!["type"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(e["error"]!["title"]!.GetValue<string>()));
        });
    }

    [Fact(DisplayName = "045_01_01 Endpoint /entities/{entityId}")]
    [Trait("etsi", "e-retrieve")]
    public async Task Etsi_045_01_01()
    {
        var id = Etsi.RandomId("Building");
        Etsi.Status(201, await Etsi.CreateEntityAsync(_client, "building-simple-attributes.jsonld", id, "application/ld+json"));
        var response = await Etsi.RetrieveEntityAsync(_client, id, accept: "*/*", link: EtsiBroker.SuiteContext);
        Etsi.Status(200, response);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.False(string.IsNullOrEmpty(string.Join(",", response.Headers.GetValues("Link"))));
        await Etsi.DeleteEntityAsync(_client, id);
    }

    [Fact(DisplayName = "048_01_03 Endpoint Post /entities/")]
    [Trait("etsi", "e-create")]
    public async Task Etsi_048_01_03() =>
        Etsi.Status(415, await Etsi.CreateEntityAsync(_client, "building-simple-attributes.jsonld", Etsi.RandomId("Building"), "application/xml"));

    [Fact(DisplayName = "049_01_01 Endpoint Get /entities/{entityId}")]
    [Trait("etsi", "e-retrieve")]
    public async Task Etsi_049_01_01() =>
        Etsi.Status(406, await Etsi.RetrieveEntityAsync(_client, Etsi.RandomId("Building"), accept: "application/xml"));
}
