using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CityTwin.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace CityTwin.Tests.Api;

/// <summary>The demo city with the entity cache off: every read builds its entities, so scans take their own path.</summary>
public sealed class UncachedAppFactory : CityTwinAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("CityTwin:NgsiLd:EntityCacheSize", "0");
    }
}

/// <summary>
/// Orders and counts over large selections (the entity cache off, so no answer comes whole from it): entities are
/// tested and ranked built with only the attributes the filter and order look at, and answered whole.
/// </summary>
public sealed class NgsiLdScanTests(UncachedAppFactory app) : IClassFixture<UncachedAppFactory>
{
    private HttpClient Keyed()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CityTwinAppFactory.ApiKey);
        return client;
    }

    [Theory]
    [InlineData("", "powerRating", true)]
    [InlineData(";lanternHeight<8", "condition", false)]
    [InlineData("&georel=within&geometry=Polygon&coordinates=[[[4.0,50.5],[5.0,50.5],[5.0,51.2],[4.0,51.2],[4.0,50.5]]]", "lanternHeight", true)]
    [InlineData("&attrs=lanternHeight,powerRating", "lanternHeight", false)]
    [InlineData("&count=true", null, false)]
    [InlineData(";name~=\".*1.*\"&count=true", null, false)]
    [InlineData(";name~=\".*2.*\"", "name", true)]
    public async Task ScansOfASelection_AnswerWholeEntities_InTheOrderAndCountOfTheWholeListing(string more, string? key, bool descending)
    {
        // An order or a count looks at every match: they are tested and ranked built with only the attributes the
        // filter and the order look at, and the answered ones rebuilt whole. The answer must be the slice of the plain
        // listing (built whole, registry order) sorted as orderBy says (ties in registry order, missing values last).
        const string link = "<http://localhost/ngsi-ld/contexts/citytwin.jsonld>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"";
        var selection = "type=Streetlight&q=powerRating>100" + more;
        foreach (var client in new[] { Keyed(), app.CreateClient() })
        {
            async Task<(JsonArray Body, string? Count)> Get(string query)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/ngsi-ld/v1/entities?" + query);
                request.Headers.TryAddWithoutValidation("Link", link);
                using var response = await client.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var count = response.Headers.TryGetValues("NGSILD-Results-Count", out var values) ? values.Single() : null;
                return (JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray(), count);
            }

            var (whole, _) = await Get(selection + "&limit=1000");
            Assert.InRange(whole.Count, 12, 999);
            // Numbers as numbers, text ordinally (the order NgsiOrderBy documents).
            JsonValue? Value(JsonNode? entity) => entity![key!]?["value"] as JsonValue;
            var byValue = Comparer<JsonValue?>.Create((a, b) => a is null || b is null ? 0 : a.GetValueKind() == System.Text.Json.JsonValueKind.Number
                ? a.GetValue<double>().CompareTo(b.GetValue<double>())
                : string.CompareOrdinal(a.GetValue<string>(), b.GetValue<string>()));
            var ranked = whole.OrderBy(e => Value(e) is null);
            var expected = key is null
                ? [.. whole]
                : (descending ? ranked.ThenByDescending(Value, byValue) : ranked.ThenBy(Value, byValue)).ToList();
            var (page, count) = await Get(selection + "&limit=6&offset=3" + (key is null ? "" : "&orderBy=" + key + (descending ? ";desc" : "")));
            Assert.Equal(expected.Skip(3).Take(6).Select(e => e!.ToJsonString()), page.Select(e => e!.ToJsonString()));
            Assert.Equal(key is null ? whole.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, count);
        }
    }

    [Fact]
    public async Task Scans_OfEntitiesOfOtherSystems_SeeTheNameACuratorGave()
    {
        // An entity of another system's type shows the registry's name on its own name attribute: a scan built with
        // only some attributes must still see the curator's rename, for q, count and orderBy.
        var tag = Guid.NewGuid().ToString("N")[..8];
        var type = "Kiosk" + tag;
        var client = Keyed();
        foreach (var (n, name) in new[] { (1, "Bravo"), (2, "Delta"), (3, "Alpha"), (4, "Charlie") })
        {
            using var created = await client.PostAsync("/ngsi-ld/v1/entities", new StringContent(
                $"{{\"id\":\"urn:ngsi-ld:{type}:{n}\",\"type\":\"{type}\",\"name\":{{\"type\":\"Property\",\"value\":\"{name}\"}},\"size\":{{\"type\":\"Property\",\"value\":{n}}}}}",
                System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await app.CuratorEditsAsync($"urn:ngsi-ld:{type}:2", a => a.Rename("Echo"));

        async Task<(List<string> Names, string? Count)> Get(string query)
        {
            using var response = await client.GetAsync($"/ngsi-ld/v1/entities?type={type}&" + query);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var count = response.Headers.TryGetValues("NGSILD-Results-Count", out var values) ? values.Single() : null;
            return ([.. JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(e => e!["name"]!["value"]!.GetValue<string>())], count);
        }

        Assert.Equal(["Alpha", "Bravo", "Charlie", "Echo"], (await Get("orderBy=name")).Names);
        Assert.Equal(["Bravo", "Echo"], (await Get("orderBy=size&limit=2")).Names);
        var echo = await Get("q=name==%22Echo%22&count=true");
        Assert.Equal(["Echo"], echo.Names);
        Assert.Equal("1", echo.Count);
        Assert.Equal("0", (await Get("q=name==%22Delta%22&count=true")).Count);
        // The plain path (no scan) too: the database's prefilter once left the renamed entity out (its stored
        // attribute still said "Delta").
        Assert.Equal(["Echo"], (await Get("q=name==%22Echo%22")).Names);
        Assert.Equal(["Alpha", "Bravo", "Charlie", "Echo"], (await Get("q=name")).Names.Order(StringComparer.Ordinal));
    }
}
