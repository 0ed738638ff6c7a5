using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CityTwin.Domain.Assets;
using CityTwin.Domain.History;
using CityTwin.Tests.Support;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Tests.Api;

/// <summary>One store: what the NGSI-LD API writes is in the registry (with history naming the key), what curators edit is on the API.</summary>
[Collection(AppCollection.Name)]
public sealed class NgsiLdRegistryTests(CityTwinAppFactory app)
{
    private HttpClient Keyed()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CityTwinAppFactory.ApiKey);
        return client;
    }

    /// <summary>An inspected Streetlight in normalized form, east of the city centre by <paramref name="n"/>, with this condition.</summary>
    private static string StreetlightJson(string id, int n, int condition) => $$$"""
        {"id":"{{{id}}}","type":"https://smartdatamodels.org/dataModel.Streetlighting/Streetlight",
         "https://w3id.org/citytwin/condition":{"type":"Property","value":{{{condition}}}},
         "https://w3id.org/citytwin/inspectedOn":{"type":"Property","value":"2026-01-15"},
         "https://uri.etsi.org/ngsi-ld/status":{"type":"Property","value":"ok"},
         "location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[4.4{{{n}}},50.87]} } }
        """;

    private static StringContent Json(string json, string type = "application/json") =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue(type));

    [Fact]
    public async Task AnEntityCreatedByTheApi_IsInTheRegistry_WithHistoryNamingTheApiKey()
    {
        var id = "urn:ngsi-ld:AirSensor:" + Guid.NewGuid().ToString("N")[..10];
        var created = await Keyed().PostAsync("/ngsi-ld/v1/entities", Json("""
            {"id":"ID","type":"AirSensor","name":{"type":"Property","value":"Station Quai TAIL"},
             "pm25":{"type":"Property","value":12.5,"unitCode":"GQ","observedAt":"2026-11-28T08:00:00Z"},
             "location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[4.401,50.871]}}}
            """.Replace("\"ID\"", "\"" + id + "\"", StringComparison.Ordinal).Replace("TAIL", id[^4..], StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var registry = app.Services.GetRequiredService<RegistryQueryService>();
        var found = await registry.QueryAsync(new RegistryFilter { Text = "Quai " + id[^4..] }, new RegistrySort(), 0, 10);
        var row = Assert.Single(found.Rows);
        Assert.Equal(id, row.Id);
        Assert.Equal("Station Quai " + id[^4..], row.Name);

        var history = await app.Services.GetRequiredService<HistoryService>().ForAssetAsync(id);
        Assert.NotEmpty(history);
        Assert.All(history, e => Assert.Equal(nameof(ActorKind.ApiKey), e.ActorKind));
        Assert.All(history, e => Assert.False(string.IsNullOrEmpty(e.Actor)));
        Assert.Contains(history, e => e.Operation == ChangeOperations.Api);

        // The change log's "Api" filter (the spelling it offers) finds the entry.
        var (logged, _) = await app.Services.GetRequiredService<HistoryService>().LogAsync(
            new ChangeLogFilter(AssetId: id, Operation: ChangeOperations.Api));
        Assert.NotEmpty(logged);
    }

    [Fact]
    public async Task AnAssetEditedByACurator_IsReturnedChangedByTheApi()
    {
        var registry = app.Services.GetRequiredService<RegistryQueryService>();
        var row = (await registry.QueryAsync(new RegistryFilter { Type = "Streetlight" }, new RegistrySort(), 0, 1)).Rows[0];
        var store = app.Services.GetRequiredService<AssetStore>();
        var renamed = "Renamed by a curator " + Guid.NewGuid().ToString("N")[..6];
        await store.UpdateAsync(row.Id, row.Version, a => a.Rename(renamed), new ChangeContext(new ChangeActor("curator@test", ActorKind.User), "edit", "test"));

        var response = await Keyed().GetAsync("/ngsi-ld/v1/entities/" + row.Id + "?options=keyValues");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entity = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(row.Id, entity["id"]!.GetValue<string>());
        Assert.Contains(entity, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) && s == renamed);
    }

    [Fact]
    public async Task AnEntityAlreadyRead_ThenEditedByACurator_IsReadChanged_ByIdAndByQuery_ForEachAudience()
    {
        // Reads keep built entities (NgsiEntityCache, ADR 0014): a curator's edit after a read must still show at once.
        var id = "urn:ngsi-ld:AirSensor:cache-" + Guid.NewGuid().ToString("N")[..8];
        var client = Keyed();
        var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/ngsi-ld/v1/entities", Json("{\"id\":\"" + id +
            "\",\"type\":\"AirSensor\",\"pm10\":{\"type\":\"Property\",\"value\":5},\"location\":{\"type\":\"GeoProperty\",\"value\":{\"type\":\"Point\",\"coordinates\":[4.3512,50.8461]}}}"))).StatusCode);
        var byId = "/ngsi-ld/v1/entities/" + id + "?options=keyValues";
        var byQuery = "/ngsi-ld/v1/entities?type=AirSensor&q=pm10%3E0&georel=within&geometry=Polygon&coordinates=" +
            Uri.EscapeDataString("[[[4.35,50.845],[4.352,50.845],[4.352,50.847],[4.35,50.847],[4.35,50.845]]]") + "&options=keyValues";
        async Task<JsonObject?> Read(HttpClient c, string url)
        {
            var json = JsonNode.Parse(await (await c.GetAsync(url)).Content.ReadAsStringAsync())!;
            return json is JsonArray list ? list.OfType<JsonObject>().SingleOrDefault(e => e["id"]!.GetValue<string>() == id) : json.AsObject();
        }

        for (var i = 0; i < 2; i++) // twice: the second read is answered from the cache
        {
            Assert.Equal(5, (await Read(client, byId))!["pm10"]!.GetValue<int>());
            Assert.Equal(5, (await Read(client, byQuery))!["pm10"]!.GetValue<int>());
            Assert.Equal(5, (await Read(anonymous, byQuery))!["pm10"]!.GetValue<int>());
        }

        var store = app.Services.GetRequiredService<AssetStore>();
        var asset = (await store.FindAsync(id))!;
        await store.UpdateAsync(id, asset.Version, a => { a.Rename("Cached then renamed"); a.PublishAttribute("https://uri.etsi.org/ngsi-ld/default-context/pm10", PublicationClass.Internal); },
            new ChangeContext(new ChangeActor("curator@test", ActorKind.User), "edit", "test"));

        Assert.Equal("Cached then renamed", (await Read(client, byId))!["ngsi-ld:name"]!.GetValue<string>());
        Assert.Equal("Cached then renamed", (await Read(client, byQuery))!["ngsi-ld:name"]!.GetValue<string>());
        Assert.Equal(5, (await Read(client, byQuery))!["pm10"]!.GetValue<int>()); // staff still see the internal value
        var seenByCitizens = await Read(anonymous, "/ngsi-ld/v1/entities/" + id + "?options=keyValues");
        Assert.Equal("Cached then renamed", seenByCitizens!["ngsi-ld:name"]!.GetValue<string>());
        Assert.Null(seenByCitizens["pm10"]); // now internal: hidden from anonymous callers at once

        // Deleted: gone for every reader, cached or not.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/ngsi-ld/v1/entities/" + id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(byId)).StatusCode);
        Assert.Null(await Read(client, byQuery));
    }

    [Fact]
    public async Task Discovery_FollowsEveryChange_AfterAFirstInventory_ForEachAudience()
    {
        // /types and /attributes keep per-row signatures between calls: creates, edits and deletes must show at once.
        var tag = Guid.NewGuid().ToString("N")[..8];
        var type = "Probe" + tag;
        var id = $"urn:ngsi-ld:{type}:1";
        var client = Keyed();
        var anonymous = app.CreateClient();
        async Task<string> Types(HttpClient c) => await (await c.GetAsync("/ngsi-ld/v1/types")).Content.ReadAsStringAsync();
        async Task<string> Attributes(HttpClient c) => await (await c.GetAsync("/ngsi-ld/v1/attributes")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(type, await Types(client), StringComparison.Ordinal);
        Assert.DoesNotContain(type, await Types(anonymous), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/ngsi-ld/v1/entities",
            Json("{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"probe" + tag + "\":{\"type\":\"Property\",\"value\":1}}"))).StatusCode);
        Assert.Contains(type, await Types(client), StringComparison.Ordinal);
        Assert.Contains(type, await Types(anonymous), StringComparison.Ordinal);
        Assert.Contains("probe" + tag, await Attributes(anonymous), StringComparison.Ordinal);

        await app.CuratorEditsAsync(id, a => a.Publish(PublicationClass.Internal));
        Assert.Contains(type, await Types(client), StringComparison.Ordinal);
        Assert.DoesNotContain(type, await Types(anonymous), StringComparison.Ordinal); // staff-only now
        Assert.DoesNotContain("probe" + tag, await Attributes(anonymous), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/ngsi-ld/v1/entities/" + id)).StatusCode);
        Assert.DoesNotContain(type, await Types(client), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTypeList_FromTheDatabase_IsTheTypesOfTheDetailedInventory_ForEachAudience()
    {
        // /types lists names from the database (no inventory); details=true builds the inventory: they must agree,
        // with entities of several types (the others only in the attribute document) and hidden ones.
        var tag = Guid.NewGuid().ToString("N")[..8];
        var client = Keyed();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/ngsi-ld/v1/entities",
            Json($"{{\"id\":\"urn:ngsi-ld:Multi{tag}:1\",\"type\":[\"First{tag}\",\"Second{tag}\"]}}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/ngsi-ld/v1/entities",
            Json($"{{\"id\":\"urn:ngsi-ld:Hidden{tag}:1\",\"type\":\"Hidden{tag}\"}}"))).StatusCode);
        await app.CuratorEditsAsync($"urn:ngsi-ld:Hidden{tag}:1", a => a.Publish(PublicationClass.Internal));

        foreach (var (c, seesHidden) in new[] { (client, true), (app.CreateClient(), false) })
        {
            var list = JsonNode.Parse(await c.GetStringAsync("/ngsi-ld/v1/types"))!["typeList"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
            var detailed = JsonNode.Parse(await c.GetStringAsync("/ngsi-ld/v1/types?details=true"))!.AsArray().Select(t => t!["typeName"]!.GetValue<string>()).ToList();
            Assert.Equal(detailed, list);
            Assert.Contains("First" + tag, list);
            Assert.Contains("Second" + tag, list);
            Assert.Equal(seesHidden, list.Contains("Hidden" + tag));
            Assert.Contains("https://smartdatamodels.org/dataModel.Streetlighting/Streetlight", list);
        }
    }

    [Fact]
    public async Task ResultsCount_CountsWhatEachAudienceMaySee_WithOrWithoutEntitiesOfSeveralTypes()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (t, u) = ("Counted" + tag, "Other" + tag);
        var client = Keyed();
        var anonymous = app.CreateClient();
        foreach (var n in new[] { 1, 2, 3 })
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/ngsi-ld/v1/entities",
                Json($"{{\"id\":\"urn:ngsi-ld:{t}:{n}\",\"type\":\"{t}\"}}"))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/ngsi-ld/v1/entities/urn:ngsi-ld:{t}:3")).StatusCode);
        await app.CuratorEditsAsync($"urn:ngsi-ld:{t}:2", a => a.Publish(PublicationClass.Internal));

        async Task<(int Count, int Listed)> Count(HttpClient c, string query)
        {
            using var response = await c.GetAsync("/ngsi-ld/v1/entities?" + query + "&count=true");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var listed = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Count;
            return (int.Parse(response.Headers.GetValues("NGSILD-Results-Count").Single(), System.Globalization.CultureInfo.InvariantCulture), listed);
        }

        Assert.Equal((2, 2), await Count(client, $"type={t}"));
        Assert.Equal((1, 1), await Count(anonymous, $"type={t}"));
        Assert.Equal((2, 1), await Count(client, $"type={t}&limit=1"));
        Assert.Equal((2, 0), await Count(client, $"type={t}&limit=0"));
        Assert.Equal((1, 1), await Count(client, $"type={t}&id=urn:ngsi-ld:{t}:1,urn:ngsi-ld:{t}:3"));

        // An entity of two types: its second type is only in its attribute document, the count still finds it.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/ngsi-ld/v1/entities",
            Json($"{{\"id\":\"urn:ngsi-ld:{t}:4\",\"type\":[\"{t}\",\"{u}\"]}}"))).StatusCode);
        Assert.Equal((1, 1), await Count(client, $"type={u}"));
        Assert.Equal((3, 3), await Count(client, $"type={t}"));
        Assert.Equal((3, 3), await Count(client, $"type={t},{u}"));
    }

    [Fact]
    public async Task DeepPages_OfATypeSelection_TileTheWholeListing_ForEachAudience_WithOrWithoutEntitiesOfSeveralTypes()
    {
        // The database skips the offset of a selection it decides alone (type list, ids, visibility): the pages must
        // still be exactly the slices of the whole listing, decommissioned and hidden entities left out.
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (t, u) = ("Paging" + tag, "Second" + tag);
        var client = Keyed();
        var anonymous = app.CreateClient();
        for (var n = 0; n < 9; n++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/ngsi-ld/v1/entities", Json($"{{\"id\":\"urn:ngsi-ld:{t}:{n}\",\"type\":\"{t}\"}}"))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/ngsi-ld/v1/entities/urn:ngsi-ld:{t}:2")).StatusCode);
        await app.CuratorEditsAsync($"urn:ngsi-ld:{t}:5", a => a.Publish(PublicationClass.Internal));

        async Task<List<string>> Ids(HttpClient c, string query) =>
            [.. JsonNode.Parse(await c.GetStringAsync("/ngsi-ld/v1/entities?" + query))!.AsArray().Select(e => e!["id"]!.GetValue<string>())];

        async Task AssertPagesTile(HttpClient c, string selection, int expected)
        {
            var whole = await Ids(c, selection + "&limit=100");
            Assert.Equal(expected, whole.Count);
            var paged = new List<string>();
            for (var offset = 0; offset < whole.Count + 3; offset += 2)
            {
                paged.AddRange(await Ids(c, $"{selection}&limit=2&offset={offset}"));
            }

            Assert.Equal(whole, paged);
            Assert.Empty(await Ids(c, $"{selection}&limit=2&offset={whole.Count}"));
            // The same pages through the entity-level path (a q every entity passes) agree.
            Assert.Equal(whole.Skip(3).Take(2), await Ids(c, $"{selection}&limit=2&offset=3&idPattern=.*"));
        }

        await AssertPagesTile(client, $"type={t}", 8);
        await AssertPagesTile(anonymous, $"type={t}", 7);
        await AssertPagesTile(client, $"type={t}&id=urn:ngsi-ld:{t}:1,urn:ngsi-ld:{t}:2,urn:ngsi-ld:{t}:3,urn:ngsi-ld:{t}:7", 3);

        // An entity of two types (its second type only in its attribute document) is placed in its pages too.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/ngsi-ld/v1/entities",
            Json($"{{\"id\":\"urn:ngsi-ld:{t}:9\",\"type\":[\"{u}\",\"{t}\"]}}"))).StatusCode);
        await AssertPagesTile(client, $"type={t}", 9);
        await AssertPagesTile(client, $"type={u}", 1);
        await AssertPagesTile(client, $"type={t},{u}", 9);
    }

    [Fact]
    public async Task ADeepPageOfTheDemoCity_IsTheSliceOfTheWholeListing()
    {
        var type = Uri.EscapeDataString(AssetTypeCatalog.Streetlight.Iri);
        var whole = JsonNode.Parse(await Keyed().GetStringAsync($"/ngsi-ld/v1/entities?type={type}&limit=1000&options=keyValues"))!.AsArray()
            .Select(e => e!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(1000, whole.Count);
        var page = JsonNode.Parse(await Keyed().GetStringAsync($"/ngsi-ld/v1/entities?type={type}&limit=7&offset=613&options=keyValues"))!.AsArray()
            .Select(e => e!["id"]!.GetValue<string>());
        Assert.Equal(whole.Skip(613).Take(7), page);
    }

    [Fact]
    public async Task AConditionalWrite_BuiltOnAStaleRead_Is412_AndNeverOverwritesTheCuratorsEdit()
    {
        var id = "urn:ngsi-ld:AirSensor:etag-" + Guid.NewGuid().ToString("N")[..8];
        var client = Keyed();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/ngsi-ld/v1/entities",
            Json("{\"id\":\"" + id + "\",\"type\":\"AirSensor\",\"pm10\":{\"type\":\"Property\",\"value\":5}}"))).StatusCode);
        var read = await client.GetAsync("/ngsi-ld/v1/entities/" + id);
        var etag = read.Headers.ETag;
        Assert.NotNull(etag);
        Assert.True(etag.IsWeak);

        // A curator edits the asset after the API client read it.
        var store = app.Services.GetRequiredService<AssetStore>();
        var asset = (await store.FindAsync(id))!;
        await store.UpdateAsync(id, asset.Version, a => a.Rename("Renamed by a curator"), new ChangeContext(new ChangeActor("curator@test", ActorKind.User), ChangeOperations.Update, "test"));

        HttpRequestMessage Conditional(HttpMethod method, string path, string? ifMatch, string? body = null)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }

            return request;
        }

        var stale = await client.SendAsync(Conditional(HttpMethod.Put, "/ngsi-ld/v1/entities/" + id, etag.ToString(), "{\"type\":\"AirSensor\",\"pm10\":{\"type\":\"Property\",\"value\":6}}"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var problem = JsonNode.Parse(await stale.Content.ReadAsStringAsync())!;
        Assert.Equal("https://w3id.org/citytwin/errors/PreconditionFailed", problem["type"]!.GetValue<string>());
        Assert.Contains("changed since it was read", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PreconditionFailed,
            (await client.SendAsync(Conditional(HttpMethod.Patch, "/ngsi-ld/v1/entities/" + id + "/attrs", etag.ToString(), "{\"pm10\":{\"type\":\"Property\",\"value\":7}}"))).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.SendAsync(Conditional(HttpMethod.Delete, "/ngsi-ld/v1/entities/" + id, etag.ToString()))).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.SendAsync(Conditional(HttpMethod.Delete, "/ngsi-ld/v1/entities/" + id, "\"not-ours\""))).StatusCode);
        var kept = (await store.FindAsync(id))!;
        Assert.Equal("Renamed by a curator", kept.Name);
        Assert.False(kept.IsDecommissioned);

        // Read again: the new ETag lets the write through; "*" means any existing version.
        var fresh = (await client.GetAsync("/ngsi-ld/v1/entities/" + id)).Headers.ETag!;
        Assert.NotEqual(etag, fresh);
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.SendAsync(Conditional(HttpMethod.Patch, "/ngsi-ld/v1/entities/" + id + "/attrs", fresh.ToString(), "{\"pm10\":{\"type\":\"Property\",\"value\":7}}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.SendAsync(Conditional(HttpMethod.Patch, "/ngsi-ld/v1/entities/" + id + "/attrs", "*", "{\"pm10\":{\"type\":\"Property\",\"value\":8}}"))).StatusCode);
        var after = JsonNode.Parse(await client.GetStringAsync("/ngsi-ld/v1/entities/" + id + "?options=keyValues"))!;
        Assert.Equal(8, after["pm10"]!.GetValue<int>());
        Assert.Equal("Renamed by a curator", (await store.FindAsync(id))!.Name);
    }

    [Fact]
    public async Task ALifecycleFieldClassifiedPersonal_IsHiddenFromCitizens_OnTheApiAndInOpenDataExports()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var id = AssetId.For("Tree", "private-" + tag);
        var tree = Asset.Create(id, AssetTypeCatalog.Tree, "Oak in a private garden " + tag, DateTimeOffset.UtcNow);
        tree.Describe("Planted by the owner", "12 Private Lane " + tag);
        tree.PublishAttribute(CityTwin.Domain.Vocabulary.CityTwinTerms.SdmCommon("address"), PublicationClass.Personal);
        tree.PublishAttribute(CityTwin.Domain.Vocabulary.CityTwinTerms.Department, PublicationClass.Public);
        tree.AssignTo("Parks " + tag, null);
        await app.Services.GetRequiredService<AssetStore>().CreateAsync(tree, new ChangeContext(ChangeActor.System("test"), ChangeOperations.Create));

        var citizen = await app.CreateClient().GetStringAsync("/ngsi-ld/v1/entities/" + id.Value + "?options=keyValues");
        Assert.DoesNotContain("Private Lane", citizen, StringComparison.Ordinal);
        Assert.Contains("Planted by the owner", citizen, StringComparison.Ordinal);
        Assert.Contains("Parks " + tag, citizen, StringComparison.Ordinal); // published on purpose
        Assert.Contains("Private Lane", await Keyed().GetStringAsync("/ngsi-ld/v1/entities/" + id.Value + "?options=keyValues"), StringComparison.Ordinal);

        var query = "?type=Tree&q=" + Uri.EscapeDataString("garden " + tag);
        foreach (var format in new[] { "geojson", "csv", "ngsi-ld" })
        {
            var open = await app.CreateClient().GetStringAsync("/api/exports/assets" + query + "&format=" + format);
            Assert.Contains("Oak in a private garden " + tag, open, StringComparison.Ordinal);
            Assert.DoesNotContain("Private Lane", open, StringComparison.Ordinal);
            Assert.Contains("Private Lane", await Keyed().GetStringAsync("/api/exports/assets" + query + "&format=" + format), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LinkedEntityRetrieval_InlinesTheCabinetOfAStreetlightGroup_AndRefusesABadJoin()
    {
        var registry = app.Services.GetRequiredService<RegistryQueryService>();
        var group = (await registry.QueryAsync(new RegistryFilter { Type = "StreetlightGroup" }, new RegistrySort(), 0, 1)).Rows[0];
        var cabinetId = (await app.Services.GetRequiredService<AssetStore>().FindAsync(group.Id))!.Relationships
            .Single(r => r.Iri.EndsWith("refStreetlightControlCabinet", StringComparison.Ordinal)).Target.Value;
        const string link = "<http://localhost/ngsi-ld/contexts/citytwin.jsonld>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"";

        var inline = new HttpRequestMessage(HttpMethod.Get, "/ngsi-ld/v1/entities/" + group.Id + "?join=inline&pick=id,refStreetlightControlCabinet{id,name}");
        inline.Headers.TryAddWithoutValidation("Link", link);
        var entity = JsonNode.Parse(await (await Keyed().SendAsync(inline)).Content.ReadAsStringAsync())!;
        var linked = entity["refStreetlightControlCabinet"]!["entity"]!;
        Assert.Equal(cabinetId, linked["id"]!.GetValue<string>());
        Assert.StartsWith("Cabinet", linked["name"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(linked["type"]); // not picked

        var flat = new HttpRequestMessage(HttpMethod.Get, "/ngsi-ld/v1/entities?type=StreetlightGroup&id=" + group.Id + "&join=flat&options=keyValues");
        flat.Headers.TryAddWithoutValidation("Link", link);
        var rows = JsonNode.Parse(await (await Keyed().SendAsync(flat)).Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal([group.Id, cabinetId], rows.Select(r => r!["id"]!.GetValue<string>()));

        // Citizens do not see internal cabinets: the relationship stays plain.
        var anonymous = new HttpRequestMessage(HttpMethod.Get, "/ngsi-ld/v1/entities/" + group.Id + "?join=inline");
        anonymous.Headers.TryAddWithoutValidation("Link", link);
        var seen = await app.CreateClient().SendAsync(anonymous);
        if (seen.StatusCode == HttpStatusCode.OK)
        {
            Assert.Null(JsonNode.Parse(await seen.Content.ReadAsStringAsync())!["refStreetlightControlCabinet"]?["entity"]);
        }

        var bad = await Keyed().GetAsync("/ngsi-ld/v1/entities/" + group.Id + "?join=sideways");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("join", JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Keyed().GetAsync("/ngsi-ld/v1/entities/" + group.Id + "?join=inline&joinLevel=0")).StatusCode);
    }

    [Fact]
    public async Task RenamingAnEntityThroughTheApi_RenamesTheAsset_AndACuratorsRenameIsWhatTheApiReturns()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var id = "urn:ngsi-ld:AirSensor:rename-" + tag;
        Assert.Equal(HttpStatusCode.Created, (await Keyed().PostAsync("/ngsi-ld/v1/entities",
            Json("{\"id\":\"" + id + "\",\"type\":\"AirSensor\",\"name\":{\"type\":\"Property\",\"value\":\"Sensor A " + tag + "\"}}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Keyed().PatchAsync("/ngsi-ld/v1/entities/" + id + "/attrs",
            Json("{\"name\":{\"type\":\"Property\",\"value\":\"Sensor B " + tag + "\"}}"))).StatusCode);
        var store = app.Services.GetRequiredService<AssetStore>();
        var asset = (await store.FindAsync(id))!;
        Assert.Equal("Sensor B " + tag, asset.Name);

        await store.UpdateAsync(id, asset.Version, a => a.Rename("Sensor C " + tag), new ChangeContext(new ChangeActor("curator@test", ActorKind.User), ChangeOperations.Update));
        var read = JsonNode.Parse(await Keyed().GetStringAsync("/ngsi-ld/v1/entities/" + id + "?options=keyValues"))!;
        Assert.Equal("Sensor C " + tag, read["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Writes_NeedAWriteKey_AndAnonymousCallersSeeOnlyPublicEntities()
    {
        var anonymous = app.CreateClient();
        var write = await anonymous.PostAsync("/ngsi-ld/v1/entities", Json("""{"id":"urn:ngsi-ld:Thing:anon","type":"Thing"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("/ngsi-ld/v1/entities?local=true")).StatusCode); // Purge Entities

        var registry = app.Services.GetRequiredService<RegistryQueryService>();
        var internalAsset = (await registry.QueryAsync(new RegistryFilter { Publication = "Internal" }, new RegistrySort(), 0, 1)).Rows[0];
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/ngsi-ld/v1/entities/" + internalAsset.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Keyed().GetAsync("/ngsi-ld/v1/entities/" + internalAsset.Id)).StatusCode);
    }

    [Theory]
    [InlineData("{\"id\":\"urn:ngsi-ld:T:1\",\"type\":\"T\",", "InvalidRequest")]
    [InlineData("{\"id\":\"not a uri\",\"type\":\"T\"}", "BadRequestData")]
    [InlineData("{\"id\":\"urn:ngsi-ld:T:2\",\"type\":\"T\",\"a\":{\"type\":\"Property\"}}", "BadRequestData")]
    [InlineData("{\"id\":\"urn:ngsi-ld:T:3\",\"type\":\"T\",\"g\":{\"type\":\"GeoProperty\",\"value\":{\"type\":\"GeometryCollection\",\"geometries\":[]}}}", "BadRequestData")]
    [InlineData("{\"id\":\"urn:ngsi-ld:T:4\",\"type\":\"T\",\"<script>\":{\"type\":\"Property\",\"value\":1}}", "BadRequestData")]
    [InlineData("{\"id\":\"urn:ngsi-ld:T:5\",\"type\":\"T\",\"pm10\":{\"type\":\"Property\",\"value\":1},\"https://uri.etsi.org/ngsi-ld/default-context/pm10\":{\"type\":\"Property\",\"value\":2}}", "BadRequestData", "once expanded")]
    public async Task BadEntities_GetTheSpecsErrorNamingTheProblem_AndNothingIsWritten(string body, string error, string? named = null)
    {
        var response = await Keyed().PostAsync("/ngsi-ld/v1/entities", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("https://uri.etsi.org/ngsi-ld/errors/" + error, problem["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]!.GetValue<string>()));
        if (named is not null)
        {
            Assert.Contains(named, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal); // attributes colliding after expansion
        }

        var id = JsonNode.Parse(body.EndsWith(',') ? body[..^1] + "}" : body)?["id"]?.GetValue<string>();
        if (id is not null && CityTwin.Domain.Assets.AssetId.IsValid(id, out _))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await Keyed().GetAsync("/ngsi-ld/v1/entities/" + id)).StatusCode);
        }
    }

    [Fact]
    public async Task ABodyOverTheLimit_Is413_AndDeepNesting_IsInvalidRequest()
    {
        var huge = new string('x', 9 * 1024 * 1024);
        var big = await Keyed().PostAsync("/ngsi-ld/v1/entities", Json("{\"id\":\"urn:ngsi-ld:T:big\",\"type\":\"T\",\"a\":\"" + huge + "\"}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);

        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200);
        var nested = await Keyed().PostAsync("/ngsi-ld/v1/entities", Json("{\"id\":\"urn:ngsi-ld:T:deep\",\"type\":\"T\",\"x\":" + deep + "}"));
        Assert.Equal(HttpStatusCode.BadRequest, nested.StatusCode);
    }

    [Fact]
    public async Task ABatchOfNewEntities_IsWrittenTogether_EachCheckedAlone_WithHistoryNamingTheKey()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        string Light(int n, int condition) => StreetlightJson($"urn:ngsi-ld:Streetlight:batch-{tag}-{n}", n, condition);
        using var response = await Keyed().PostAsync("/ngsi-ld/v1/entityOperations/upsert", Json($"[{Light(1, 4)},{Light(2, 9)},{Light(3, 2)}]"));
        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal([$"urn:ngsi-ld:Streetlight:batch-{tag}-1", $"urn:ngsi-ld:Streetlight:batch-{tag}-3"], result["success"]!.AsArray().Select(x => x!.GetValue<string>()));
        var error = Assert.Single(result["errors"]!.AsArray())!;
        Assert.Equal($"urn:ngsi-ld:Streetlight:batch-{tag}-2", error["entityId"]!.GetValue<string>());
        Assert.Contains("condition", error["error"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var store = app.Services.GetRequiredService<AssetStore>();
        Assert.Null(await store.FindAsync($"urn:ngsi-ld:Streetlight:batch-{tag}-2"));
        var third = await store.FindAsync($"urn:ngsi-ld:Streetlight:batch-{tag}-3");
        Assert.Equal(2, third!.Condition);
        Assert.NotNull(third.Geometry);
        var history = await app.Services.GetRequiredService<HistoryService>().ForAssetAsync(third.Id.Value);
        Assert.Contains(history, e => e.ActorKind == nameof(ActorKind.ApiKey) && e.Operation == ChangeOperations.Api);
    }

    [Fact]
    public async Task ABatchOfExistingEntities_IsChangedTogether_EachCheckedAlone_AndAnUpsertRestoresADeletedOne()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        string Light(int n, int condition) => StreetlightJson($"urn:ngsi-ld:Streetlight:group-{tag}-{n}", n, condition);
        string Id(int n) => $"urn:ngsi-ld:Streetlight:group-{tag}-{n}";
        var client = Keyed();
        using (var first = await client.PostAsync("/ngsi-ld/v1/entityOperations/upsert", Json($"[{Light(1, 4)},{Light(2, 4)},{Light(3, 4)},{Light(4, 4)}]")))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/ngsi-ld/v1/entities/" + Id(4))).StatusCode);
        var store = app.Services.GetRequiredService<AssetStore>();
        var versionBefore = (await store.FindAsync(Id(1)))!.Version;

        // 1 and 3 change, 2 breaks a rule (condition 1–5), 4 was deleted: the upsert restores it.
        using var response = await client.PostAsync("/ngsi-ld/v1/entityOperations/upsert", Json($"[{Light(1, 2)},{Light(2, 9)},{Light(3, 5)},{Light(4, 3)}]"));
        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal([Id(1), Id(3), Id(4)], result["success"]!.AsArray().Select(x => x!.GetValue<string>()));
        var error = Assert.Single(result["errors"]!.AsArray())!;
        Assert.Equal(Id(2), error["entityId"]!.GetValue<string>());
        Assert.Contains("condition", error["error"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var one = (await store.FindAsync(Id(1)))!;
        Assert.Equal(2, one.Condition);
        Assert.Equal(versionBefore + 1, one.Version); // one versioned write
        Assert.Equal(5, (await store.FindAsync(Id(3)))!.Condition);
        Assert.Equal(4, (await store.FindAsync(Id(2)))!.Condition); // untouched
        var restored = (await store.FindAsync(Id(4)))!;
        Assert.False(restored.IsDecommissioned);
        Assert.Equal(3, restored.Condition);
        var history = await app.Services.GetRequiredService<HistoryService>().ForAssetAsync(Id(1));
        Assert.Contains(history, e => e.ActorKind == nameof(ActorKind.ApiKey) && e.Operation == ChangeOperations.Api && (e.Reason ?? "").Contains("batch upsert", StringComparison.Ordinal));

        // Batch update with noOverwrite: an entity whose attribute exists reports it, the others are changed.
        var fresh = """{"id":"ID","https://w3id.org/citytwin/replacementCost":{"type":"Property","value":1200}}""";
        var clash = """{"id":"ID","https://w3id.org/citytwin/condition":{"type":"Property","value":1}}""";
        using var update = await client.PostAsync("/ngsi-ld/v1/entityOperations/update?options=noOverwrite",
            Json($"[{fresh.Replace("ID", Id(1), StringComparison.Ordinal)},{clash.Replace("ID", Id(3), StringComparison.Ordinal)},{fresh.Replace("ID", "urn:ngsi-ld:Streetlight:none-" + tag, StringComparison.Ordinal)}]"));
        Assert.Equal(HttpStatusCode.MultiStatus, update.StatusCode);
        var updated = JsonNode.Parse(await update.Content.ReadAsStringAsync())!;
        Assert.Equal([Id(1)], updated["success"]!.AsArray().Select(x => x!.GetValue<string>()));
        var errors = updated["errors"]!.AsArray().ToDictionary(e => e!["entityId"]!.GetValue<string>(), e => e!["error"]!["type"]!.GetValue<string>());
        Assert.EndsWith("BadRequestData", errors[Id(3)], StringComparison.Ordinal);
        Assert.EndsWith("ResourceNotFound", errors["urn:ngsi-ld:Streetlight:none-" + tag], StringComparison.Ordinal);
        Assert.Equal(1200m, (await store.FindAsync(Id(1)))!.ReplacementCost);
        Assert.Equal(5, (await store.FindAsync(Id(3)))!.Condition); // not overwritten
    }

    [Fact]
    public async Task ConcurrentCreates_AreGroupedIntoFewWrites_EachAnsweredAsIfAlone()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        string Sensor(int n) => "{\"id\":\"urn:ngsi-ld:AirSensor:group-" + tag + "-" + n + "\",\"type\":\"AirSensor\",\"pm10\":{\"type\":\"Property\",\"value\":" + n + "}}";
        var client = Keyed();
        var bodies = Enumerable.Range(0, 40).Select(Sensor).Append(Sensor(7)).Append("{\"id\":\"urn:ngsi-ld:AirSensor:group-" + tag + "-bad\",\"type\":\"AirSensor\",\"pm10\":{\"type\":\"Property\"}}");
        var responses = await Task.WhenAll(bodies.Select(b => client.PostAsync("/ngsi-ld/v1/entities", Json(b))));
        Assert.Equal(40, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.BadRequest);

        var store = app.Services.GetRequiredService<AssetStore>();
        for (var n = 0; n < 40; n++)
        {
            var asset = await store.FindAsync($"urn:ngsi-ld:AirSensor:group-{tag}-{n}");
            Assert.NotNull(asset);
        }

        var history = await app.Services.GetRequiredService<HistoryService>().ForAssetAsync($"urn:ngsi-ld:AirSensor:group-{tag}-39");
        Assert.Contains(history, e => e.ActorKind == nameof(ActorKind.ApiKey) && e.Operation == ChangeOperations.Api);
    }

    [Theory]
    [InlineData("name;sideways", "orderBy")]
    [InlineData("name..subProperty", "orderBy")]
    public async Task ABadOrderBy_IsA400NamingIt(string orderBy, string named)
    {
        using var response = await Keyed().GetAsync("/ngsi-ld/v1/entities?type=AirSensor&orderBy=" + Uri.EscapeDataString(orderBy));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderBy_SortsTheWholeSelectionBeforePaging()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var client = Keyed();
        foreach (var (n, pm) in new[] { (1, 30), (2, 10), (3, 20) })
        {
            using var created = await client.PostAsync("/ngsi-ld/v1/entities", Json("{\"id\":\"urn:ngsi-ld:OrderedSensor:" + tag + "-" + n + "\",\"type\":\"OrderedSensor" + tag + "\",\"pm10\":{\"type\":\"Property\",\"value\":" + pm + "}}"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var body = JsonNode.Parse(await client.GetStringAsync($"/ngsi-ld/v1/entities?type=OrderedSensor{tag}&orderBy=pm10;desc&limit=2&offset=1"))!.AsArray();
        Assert.Equal([$"urn:ngsi-ld:OrderedSensor:{tag}-3", $"urn:ngsi-ld:OrderedSensor:{tag}-2"], body.Select(e => e!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task OrderBy_PagesThroughEveryMatch_TiesInRegistryOrder_MissingValuesLast()
    {
        // The store keeps only the best offset + limit while it looks at every match: pages must still tile the order.
        var tag = Guid.NewGuid().ToString("N")[..8];
        var client = Keyed();
        int?[] values = [5, 9, null, 5, 1, 9, 7, 5, null, 3, 9, 2];
        for (var n = 0; n < values.Length; n++)
        {
            var pm = values[n] is { } v ? ",\"pm10\":{\"type\":\"Property\",\"value\":" + v + "}" : ",\"other\":{\"type\":\"Property\",\"value\":1}";
            using var created = await client.PostAsync("/ngsi-ld/v1/entities", Json("{\"id\":\"urn:ngsi-ld:Paged:" + tag + "-" + n + "\",\"type\":\"Paged" + tag + "\"" + pm + "}"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var expected = Enumerable.Range(0, values.Length)
            .OrderBy(n => values[n] is null).ThenByDescending(n => values[n] ?? 0).ThenBy(n => n)
            .Select(n => $"urn:ngsi-ld:Paged:{tag}-{n}").ToList();
        var seen = new List<string>();
        for (var offset = 0; offset < values.Length; offset += 5)
        {
            using var response = await client.GetAsync($"/ngsi-ld/v1/entities?type=Paged{tag}&orderBy=pm10;desc&limit=5&offset={offset}&count=true");
            Assert.Equal("12", response.Headers.GetValues("NGSILD-Results-Count").Single());
            seen.AddRange(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(e => e!["id"]!.GetValue<string>()));
        }

        Assert.Equal(expected, seen);
    }
}
