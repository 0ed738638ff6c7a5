namespace CityTwin.Tests.Conformance;

/// <summary>
/// ETSI CommonBehaviours/CommonResponses for the endpoints CityTwin offers (043, 045, 048, 049, 059). The temporal,
/// /types and batch cases (045_01_04, 048_01_05, 049_01_05, 049_02_02, 059_01_04, 059_01_05) are hand-written from the
/// suite's titles, following the transcribed cases of the same Robot files (the Robot files are not in ../shared/data).
/// </summary>
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

    private async Task<HttpResponseMessage> GetAsync(string pathAndQuery, string? accept, string? contentType = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (contentType is not null)
        {
            // "Call Api Endpoint With Invalid Parameter" sends a Content-Type even on a GET.
            request.Content = new ByteArrayContent([]);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return await _client.SendAsync(request);
    }

    [Fact(DisplayName = "045_01_04 Endpoint /temporal/entities")]
    [Trait("etsi", "te-query")]
    public async Task Etsi_045_01_04()
    {
        var id = Etsi.RandomId("Building");
        Etsi.Status(201, await Etsi.CreateEntityAsync(_client, "building-simple-attributes.jsonld", id, "application/ld+json"));
        var response = await GetAsync("/ngsi-ld/v1/temporal/entities?type=Building&timerel=after&timeAt=2020-08-01T12:03:00Z", "*/*");
        Etsi.Status(200, response);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        await Etsi.DeleteEntityAsync(_client, id);
    }

    [Fact(DisplayName = "048_01_05 Endpoint Post /entityOperations/create")]
    [Trait("etsi", "be-create")]
    public async Task Etsi_048_01_05()
    {
        var batch = new System.Text.Json.Nodes.JsonArray(Etsi.Load("entities/building-simple-attributes.jsonld", Etsi.RandomId("Building")));
        Etsi.Status(415, await _client.PostAsync("/ngsi-ld/v1/entityOperations/create", Etsi.Body(batch.ToJsonString(), "application/xml")));
    }

    [Fact(DisplayName = "049_01_05 Endpoint Get /temporal/entities")]
    [Trait("etsi", "te-query")]
    public async Task Etsi_049_01_05() =>
        Etsi.Status(406, await GetAsync("/ngsi-ld/v1/temporal/entities?type=Building&timerel=after&timeAt=2020-08-01T12:03:00Z", "application/xml"));

    [Fact(DisplayName = "049_02_02 Query Temporal Entities")]
    [Trait("etsi", "te-query")]
    public async Task Etsi_049_02_02() =>
        Etsi.Status(406, await GetAsync("/ngsi-ld/v1/temporal/entities?type=Building&timerel=after&timeAt=2020-08-01T12:03:00Z", "application/geo+json"));

    [Fact(DisplayName = "059_01_04 QueryTemporalEntities")]
    [Trait("etsi", "te-query")]
    public async Task Etsi_059_01_04() =>
        await Etsi.ProblemAsync(await GetAsync("/ngsi-ld/v1/temporal/entities?invalidParams=invalidValue&%20type=Building", null, "application/ld+json"), 400, "InvalidRequest");

    [Fact(DisplayName = "059_01_05 RetrieveEntityTypes")]
    [Trait("etsi", "ed-types")]
    public async Task Etsi_059_01_05() =>
        await Etsi.ProblemAsync(await GetAsync("/ngsi-ld/v1/types?invalidParams=invalidValue", null, "application/ld+json"), 400, "InvalidRequest");
}
