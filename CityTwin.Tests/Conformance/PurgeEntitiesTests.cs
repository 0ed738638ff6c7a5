using System.Net;
using System.Text.Json.Nodes;

namespace CityTwin.Tests.Conformance;

/// <summary>A broker of its own for Purge Entities: 060_03_03 purges every entity.</summary>
public sealed class EtsiPurgeBroker : EtsiBroker;

[CollectionDefinition(Name)]
public sealed class EtsiPurgeCollection : ICollectionFixture<EtsiPurgeBroker>
{
    public const string Name = "etsi-purge";
}

/// <summary>
/// ETSI 060 Purge Entities (V1.9.1, 5.6.21) and 059_01_08, hand-written from the suite's titles and payloads (the Robot
/// files are not in ../shared/data): DELETE /entities with a selection deletes the matching entities, or with drop/keep
/// only some of their attributes.
/// </summary>
[Collection(EtsiPurgeCollection.Name)]
public sealed class PurgeEntitiesTests(EtsiPurgeBroker broker)
{
    private static readonly string Link = Etsi.LinkHeader(EtsiBroker.SuiteContext);

    private static async Task<HttpResponseMessage> PurgeAsync(HttpClient client, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/ngsi-ld/v1/entities" + query);
        request.Headers.Add("Link", Link);
        return await client.SendAsync(request);
    }

    private static async Task<string> CreateAsync(HttpClient client, string file, string type)
    {
        var id = Etsi.RandomId(type);
        Etsi.Status(201, await Etsi.CreateEntityAsync(client, file, id, "application/ld+json"));
        return id;
    }

    private static async Task<JsonObject?> RetrieveAsync(HttpClient client, string id)
    {
        var response = await Etsi.RetrieveEntityAsync(client, id, link: EtsiBroker.SuiteContext);
        return response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject() : null;
    }

    private static async Task ProblemAsync(HttpResponseMessage response, int status, string type)
    {
        Etsi.Status(status, response);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("https://uri.etsi.org/ngsi-ld/errors/" + type, problem["type"]!.GetValue<string>());
    }

    [Fact(DisplayName = "060_01_01 Purge Entities Without Any Query Parameter")]
    public async Task WithoutAnyQueryParameter_IsBadRequestData() =>
        await ProblemAsync(await PurgeAsync(broker.Client(), ""), 400, "BadRequestData");

    [Fact(DisplayName = "060_02_01 Purge Entities With Keep And Drop At The Same Time")]
    public async Task WithKeepAndDrop_IsBadRequestData() =>
        await ProblemAsync(await PurgeAsync(broker.Client(), "?type=Building&keep=name&drop=subCategory"), 400, "BadRequestData");

    [Fact(DisplayName = "059_01_08 PurgeEntities invalid parameter")]
    public async Task AnInvalidParameter_IsInvalidRequest() =>
        await ProblemAsync(await PurgeAsync(broker.Client(), "?type=Building&invalidParameter=1"), 400, "InvalidRequest");

    [Fact(DisplayName = "060_03_01 Purge Entities Matching Type")]
    public async Task MatchingType_DeletesThoseEntitiesOnly()
    {
        var client = broker.Client();
        var buildings = new[] { await CreateAsync(client, "building-simple-attributes.jsonld", "Building"), await CreateAsync(client, "building-minimal.jsonld", "Building") };
        var vehicle = await CreateAsync(client, "vehicle-minimal.jsonld", "Vehicle");
        Etsi.Status(204, await PurgeAsync(client, "?type=Building"));
        foreach (var id in buildings)
        {
            Assert.Null(await RetrieveAsync(client, id));
        }

        Assert.NotNull(await RetrieveAsync(client, vehicle));
    }

    [Fact(DisplayName = "060_03_02 Purge Entities Matching Q Query")]
    public async Task MatchingQ_DeletesTheMatchingEntitiesOnly()
    {
        var client = broker.Client();
        var named = await CreateAsync(client, "building-simple-attributes.jsonld", "Building");
        var minimal = await CreateAsync(client, "building-minimal.jsonld", "Building");
        Etsi.Status(204, await PurgeAsync(client, "?type=Building&q=" + Uri.EscapeDataString("name==\"Eiffel Tower\"")));
        Assert.Null(await RetrieveAsync(client, named));
        Assert.NotNull(await RetrieveAsync(client, minimal));
    }

    [Fact(DisplayName = "060_03_04 Purge Entities Matching Type And Id")]
    public async Task MatchingTypeAndId_DeletesThatEntityOnly()
    {
        var client = broker.Client();
        var first = await CreateAsync(client, "building-minimal.jsonld", "Building");
        var second = await CreateAsync(client, "building-minimal.jsonld", "Building");
        Etsi.Status(204, await PurgeAsync(client, "?type=Building&id=" + first));
        Assert.Null(await RetrieveAsync(client, first));
        Assert.NotNull(await RetrieveAsync(client, second));
    }

    [Fact(DisplayName = "060_04_01 Purge Entities Drop Specific Attributes")]
    public async Task Drop_DeletesOnlyTheListedAttributes()
    {
        var client = broker.Client();
        var id = await CreateAsync(client, "building-simple-attributes.jsonld", "Building");
        Etsi.Status(204, await PurgeAsync(client, "?id=" + id + "&drop=name,subCategory"));
        var entity = (await RetrieveAsync(client, id))!;
        Assert.Null(entity["name"]);
        Assert.Null(entity["subCategory"]);
        Assert.NotNull(entity["airQualityLevel"]);
        Assert.NotNull(entity["almostFull"]);
    }

    [Fact(DisplayName = "060_05_01 Purge Entities Keep Only Specific Attributes")]
    public async Task Keep_DeletesEveryOtherAttribute()
    {
        var client = broker.Client();
        var id = await CreateAsync(client, "building-simple-attributes.jsonld", "Building");
        Etsi.Status(204, await PurgeAsync(client, "?id=" + id + "&keep=name"));
        var entity = (await RetrieveAsync(client, id))!;
        Assert.Equal(["id", "type", "name"], entity.Select(p => p.Key).Where(k => k != "@context"));
    }

    [Fact(DisplayName = "060_03_03 Purge All Entities In Local Mode")]
    public async Task LocalMode_PurgesEveryEntity()
    {
        var client = broker.Client();
        var building = await CreateAsync(client, "building-minimal.jsonld", "Building");
        var vehicle = await CreateAsync(client, "vehicle-minimal.jsonld", "Vehicle");
        Etsi.Status(204, await PurgeAsync(client, "?local=true"));
        Assert.Null(await RetrieveAsync(client, building));
        Assert.Null(await RetrieveAsync(client, vehicle));
    }
}
