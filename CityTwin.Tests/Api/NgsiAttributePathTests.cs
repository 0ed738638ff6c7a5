using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CityTwin.Tests.Support;
using CityTwin.Web.Features.NgsiLd;

namespace CityTwin.Tests.Api;

/// <summary>
/// Attribute paths in q and orderBy: a client without a context names attributes by their full IRI, and Smart Data
/// Models IRIs hold dots (<c>dataModel.Streetlighting</c>) — they once split into sub-attribute paths and matched nothing.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NgsiAttributePathTests(CityTwinAppFactory app)
{
    private const string PowerRating = "https://smartdatamodels.org/dataModel.Streetlighting/powerRating";
    private const string LanternHeight = "https://smartdatamodels.org/dataModel.Streetlighting/lanternHeight";
    private const string Link = "<http://localhost/ngsi-ld/contexts/citytwin.jsonld>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"";

    [Theory]
    [InlineData("powerRating", new[] { "powerRating" })]
    [InlineData("powerRating.observedAt", new[] { "powerRating", "observedAt" })]
    [InlineData("a.b.c", new[] { "a", "b", "c" })]
    [InlineData("sdm:powerRating.unitCode", new[] { "sdm:powerRating", "unitCode" })]
    [InlineData(PowerRating, new[] { PowerRating })]
    [InlineData(PowerRating + ".observedAt", new[] { PowerRating, "observedAt" })]
    [InlineData(PowerRating + ".https://example.org/sub.x", new[] { PowerRating, "https://example.org/sub", "x" })]
    [InlineData("ex:temperature.https://example.org/accuracy", new[] { "ex:temperature", "https://example.org/accuracy" })]
    [InlineData("temperature.observedAt.x", new[] { "temperature", "observedAt", "x" })]
    [InlineData("https://example.org/a#b.c", new[] { "https://example.org/a#b", "c" })]
    [InlineData("name..sub", new[] { "name", "", "sub" })]
    public void PathSegments_KeepAFullIriWhole(string path, string[] expected) =>
        Assert.Equal(expected, NgsiEntityReader.PathSegments(path));

    private async Task<(List<string> Ids, string? Count)> IdsAsync(string query, bool withContext)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ngsi-ld/v1/entities?" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CityTwinAppFactory.ApiKey);
        if (withContext)
        {
            request.Headers.TryAddWithoutValidation("Link", Link);
        }

        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var count = response.Headers.TryGetValues("NGSILD-Results-Count", out var values) ? values.Single() : null;
        return ([.. JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(e => e!["id"]!.GetValue<string>())], count);
    }

    [Fact]
    public async Task QAndOrderBy_ByFullIri_AnswerAsByTerm()
    {
        var type = Uri.EscapeDataString("https://smartdatamodels.org/dataModel.Streetlighting/Streetlight");
        var byTerm = await IdsAsync("type=Streetlight&q=powerRating>100&orderBy=lanternHeight;desc,id&limit=20&count=true", withContext: true);
        var byIri = await IdsAsync($"type={type}&q={Uri.EscapeDataString(PowerRating + ">100")}&orderBy={Uri.EscapeDataString(LanternHeight + ";desc,id")}&limit=20&count=true", withContext: false);
        Assert.Equal(20, byTerm.Ids.Count);
        Assert.True(int.Parse(byTerm.Count!, System.Globalization.CultureInfo.InvariantCulture) > 20);
        Assert.Equal(byTerm.Ids, byIri.Ids);
        Assert.Equal(byTerm.Count, byIri.Count);

        // The ordering itself: the tallest lanterns first (not merely the first Streetlights in the registry).
        var unordered = await IdsAsync($"type={type}&q={Uri.EscapeDataString(PowerRating + ">100")}&limit=20", withContext: false);
        Assert.NotEqual(unordered.Ids, byIri.Ids);
    }

    [Theory]
    [InlineData("temperature<20", new[] { 1 })]
    [InlineData("temperature<=30", new[] { 1, 5 })]
    [InlineData("temperature>5", new[] { 1, 5 })]
    [InlineData("temperature>=10", new[] { 1, 5 })]
    [InlineData("temperature==5..25", new[] { 1 })]
    [InlineData("temperature!=10", new[] { 2, 3, 4, 5 })]
    public async Task Comparisons_WithValuesOfAnotherKind_DoNotMatch(string q, int[] expected)
    {
        // A text, a boolean or an object is neither less nor greater than a number (`<` once matched them all).
        var tag = Guid.NewGuid().ToString("N")[..8];
        var type = "Thermo" + tag;
        string[] values = ["10", "\"hot\"", "true", "{\"a\":1}", "30"];
        for (var n = 1; n <= values.Length; n++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/ngsi-ld/v1/entities")
            {
                Content = new StringContent($"{{\"id\":\"urn:ngsi-ld:{type}:{n}\",\"type\":\"{type}\",\"temperature\":{{\"type\":\"Property\",\"value\":{values[n - 1]}}}}}",
                    System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CityTwinAppFactory.ApiKey);
            using var created = await app.CreateClient().SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var (ids, _) = await IdsAsync($"type={type}&q={Uri.EscapeDataString(q)}", withContext: false);
        Assert.Equal(expected.Select(n => $"urn:ngsi-ld:{type}:{n}"), ids);
    }
}
