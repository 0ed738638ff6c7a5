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
            double? Value(JsonNode? entity) => entity![key!]?["value"]?.GetValue<double>();
            var expected = key is null
                ? [.. whole]
                : (descending ? whole.OrderBy(e => Value(e) is null).ThenByDescending(e => Value(e) ?? 0) : whole.OrderBy(e => Value(e) is null).ThenBy(e => Value(e) ?? 0)).ToList();
            var (page, count) = await Get(selection + "&limit=6&offset=3" + (key is null ? "" : "&orderBy=" + key + (descending ? ";desc" : "")));
            Assert.Equal(expected.Skip(3).Take(6).Select(e => e!.ToJsonString()), page.Select(e => e!.ToJsonString()));
            Assert.Equal(key is null ? whole.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, count);
        }
    }

}
