namespace CityTwin.Tests.Conformance;

/// <summary>ETSI 002 — Delete Entity (TP/NGSI-LD/ContextInformation/Provision/Entities/DeleteEntity).</summary>
[Collection(EtsiCollection.Name)]
[Trait("etsi", "e-delete")]
public sealed class DeleteEntityTests(EtsiBroker broker)
{
    private readonly HttpClient _client = broker.Client();

    [Fact(DisplayName = "002_01_01 Delete An Entity")]
    public async Task Etsi_002_01_01()
    {
        var id = Etsi.RandomId("Building");
        Etsi.Status(201, await Etsi.CreateEntityAsync(_client, "building-simple-attributes.jsonld", id, "application/ld+json"));
        var response = await Etsi.DeleteEntityAsync(_client, id);
        Etsi.Status(204, response);
        await Etsi.BodyIsEmptyAsync(response);
        Etsi.Status(404, await Etsi.RetrieveEntityAsync(_client, id));
    }

    [Fact(DisplayName = "002_02_01 Delete An Entity If The Entity Id Is Not A Valid URI")]
    public async Task Etsi_002_02_01() =>
        await Etsi.ProblemAsync(await Etsi.DeleteEntityAsync(_client, "thisisaninvaliduri"), 400, "BadRequestData");

    [Fact(DisplayName = "002_03_01 Delete An Entity With An Id Not Known To The System")]
    public async Task Etsi_002_03_01() =>
        await Etsi.ProblemAsync(await Etsi.DeleteEntityAsync(_client, Etsi.RandomId("Building")), 404, "ResourceNotFound");
}
