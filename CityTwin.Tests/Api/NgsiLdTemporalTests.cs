using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CityTwin.Tests.Support;
using CityTwin.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Tests.Api;

/// <summary>The temporal API over the demo city's observations: every figure is checked against the Observations table.</summary>
[Collection(AppCollection.Name)]
public sealed class NgsiLdTemporalTests(CityTwinAppFactory app)
{
    private sealed record SeriesRow(int Id, string SourceId, string Iri, string UnitCode, List<(long At, double Value)> Rows);

    private static readonly string DeviceType = CityTwin.Domain.Assets.AssetTypeCatalog.Device.Iri;

    private HttpClient Keyed()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CityTwinAppFactory.ApiKey);
        return client;
    }

    private async Task<SeriesRow> FirstSeriesAsync(bool publicSource = false)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<CityTwinDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var publicIds = db.Assets.Where(a => a.Publication == "Public").Select(a => a.Id);
        var series = await db.ObservationSeries.AsNoTracking().Where(s => !publicSource || publicIds.Contains(s.SourceId)).OrderBy(s => s.Id).FirstAsync();
        var rows = await db.Observations.AsNoTracking().Where(o => o.SeriesId == series.Id).OrderBy(o => o.ObservedAt).Select(o => new { o.ObservedAt, o.Value }).ToListAsync();
        return new SeriesRow(series.Id, series.SourceId, series.Quantity, series.UnitCode, [.. rows.Select(r => (r.ObservedAt, r.Value))]);
    }

    private static string Instant(long at) => DateTimeOffset.FromUnixTimeSeconds(at).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Url(SeriesRow s, string query = "") =>
        $"/ngsi-ld/v1/temporal/entities/{Uri.EscapeDataString(s.SourceId)}?attrs={Uri.EscapeDataString(s.Iri)}{query}";

    private static async Task<JsonNode> BodyAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task RetrieveTemporalEvolution_ReturnsEveryObservationOfTheSeries_InOrder()
    {
        var s = await FirstSeriesAsync();
        Assert.True(s.Rows.Count > 24, "the demo city has hourly observations");
        var body = await BodyAsync(await Keyed().GetAsync(Url(s)));
        Assert.Equal(s.SourceId, body["id"]!.GetValue<string>());
        var instances = body[s.Iri]!.AsArray();
        Assert.Equal(s.Rows.Count, instances.Count);
        for (var i = 0; i < s.Rows.Count; i++)
        {
            Assert.Equal("Property", instances[i]!["type"]!.GetValue<string>());
            Assert.Equal(s.Rows[i].Value, instances[i]!["value"]!.GetValue<double>());
            Assert.Equal(Instant(s.Rows[i].At), instances[i]!["observedAt"]!.GetValue<string>());
            Assert.Equal(s.UnitCode, instances[i]!["unitCode"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("before")]
    [InlineData("after")]
    [InlineData("between")]
    public async Task TimeRelations_SelectExactlyTheInstancesOfTheRange(string timerel)
    {
        var s = await FirstSeriesAsync();
        var t1 = s.Rows[10].At;
        var t2 = s.Rows[20].At;
        var expected = timerel switch
        {
            "before" => s.Rows.Where(r => r.At < t1),
            "after" => s.Rows.Where(r => r.At > t1),
            _ => s.Rows.Where(r => r.At >= t1 && r.At < t2),
        };
        var query = $"&timerel={timerel}&timeAt={Instant(t1)}" + (timerel == "between" ? $"&endTimeAt={Instant(t2)}" : "");
        var body = await BodyAsync(await Keyed().GetAsync(Url(s, query)));
        Assert.Equal(expected.Select(r => Instant(r.At)), body[s.Iri]!.AsArray().Select(i => i!["observedAt"]!.GetValue<string>()));
    }

    [Fact]
    public async Task LastN_ReturnsTheMostRecentInstances_AsAPartialAnswerWithContentRange()
    {
        var s = await FirstSeriesAsync();
        using var response = await Keyed().GetAsync(Url(s, "&lastN=5&options=temporalValues"));
        var body = await BodyAsync(response, HttpStatusCode.PartialContent);
        var values = body[s.Iri]!["values"]!.AsArray();
        Assert.Equal(s.Rows.TakeLast(5).Select(r => (r.Value, Instant(r.At))), values.Select(v => (v![0]!.GetValue<double>(), v[1]!.GetValue<string>())));
        Assert.Equal($"date-time {Instant(s.Rows[^1].At)}-{Instant(s.Rows[^5].At)}/5", response.Content.Headers.NonValidated["Content-Range"].ToString());
    }

    [Fact]
    public async Task AggregatedValues_PerDay_MatchTheObservations()
    {
        var s = await FirstSeriesAsync();
        var start = s.Rows[0].At;
        var body = await BodyAsync(await Keyed().GetAsync(Url(s, $"&options=aggregatedValues&aggrMethods=avg,max,totalCount,sum&aggrPeriodDuration=P1D&timerel=between&timeAt={Instant(start)}&endTimeAt={Instant(s.Rows[^1].At + 1)}")));
        var attribute = body[s.Iri]!;
        var days = s.Rows.GroupBy(r => (r.At - start) / 86_400).ToList();
        Assert.Equal(days.Count, attribute["avg"]!.AsArray().Count);
        for (var d = 0; d < days.Count; d++)
        {
            var period = attribute["avg"]![d]!.AsArray();
            Assert.Equal(days[d].Average(r => r.Value), period[0]!.GetValue<double>(), 9);
            Assert.Equal(Instant(start + (days[d].Key * 86_400)), period[1]!.GetValue<string>());
            Assert.Equal(Instant(start + ((days[d].Key + 1) * 86_400)), period[2]!.GetValue<string>());
            Assert.Equal(days[d].Max(r => r.Value), attribute["max"]![d]![0]!.GetValue<double>());
            Assert.Equal(days[d].Count(), attribute["totalCount"]![d]![0]!.GetValue<int>());
            Assert.Equal(days[d].Sum(r => r.Value), attribute["sum"]![d]![0]!.GetValue<double>(), 9);
        }
    }

    [Fact]
    public async Task QueryTemporalEvolution_ByTypeAndAttribute_GetAndPost_ReturnTheSameSensors()
    {
        var s = await FirstSeriesAsync();
        var t = s.Rows[^3].At;
        var client = Keyed();
        using var get = await client.GetAsync($"/ngsi-ld/v1/temporal/entities?type={Uri.EscapeDataString(DeviceType)}&attrs={Uri.EscapeDataString(s.Iri)}&timerel=after&timeAt={Instant(t)}&count=true&limit=100");
        var entities = (await BodyAsync(get)).AsArray();
        Assert.Contains(entities, e => e!["id"]!.GetValue<string>() == s.SourceId);
        Assert.All(entities, e => Assert.Equal(2, e![s.Iri]!.AsArray().Count));
        Assert.Equal(entities.Count.ToString(CultureInfo.InvariantCulture), get.Headers.GetValues("NGSILD-Results-Count").Single());

        var query = new JsonObject
        {
            ["type"] = "Query",
            ["entities"] = new JsonArray(new JsonObject { ["type"] = DeviceType }),
            ["attrs"] = new JsonArray(s.Iri),
            ["temporalQ"] = new JsonObject { ["timerel"] = "after", ["timeAt"] = Instant(t) },
        };
        using var post = await client.PostAsync("/ngsi-ld/v1/temporal/entityOperations/query?limit=100", new StringContent(query.ToJsonString(), Encoding.UTF8, "application/json"));
        var posted = (await BodyAsync(post)).AsArray();
        Assert.Equal(entities.Select(e => e!["id"]!.GetValue<string>()), posted.Select(e => e!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AnInstanceLimit_MakesThePartialAnswerCutEveryAttributeAtTheSameInstant()
    {
        var s = await FirstSeriesAsync();
        using var limited = app.WithWebHostBuilder(b => b.UseSetting("CityTwin:NgsiLd:TemporalLimit", "10"));
        var client = limited.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CityTwinAppFactory.ApiKey);
        using var response = await client.GetAsync($"/ngsi-ld/v1/temporal/entities/{Uri.EscapeDataString(s.SourceId)}");
        var body = await BodyAsync(response, HttpStatusCode.PartialContent);
        var instances = body[s.Iri]!.AsArray();
        Assert.Equal(s.Rows.Take(10).Select(r => Instant(r.At)), instances.Select(i => i!["observedAt"]!.GetValue<string>()));
        Assert.Equal($"date-time {Instant(s.Rows[0].At)}-{Instant(s.Rows[9].At)}/*", response.Content.Headers.NonValidated["Content-Range"].ToString());
    }

    [Theory]
    [InlineData("&timerel=around&timeAt=2026-01-01T00:00:00Z", "timerel")]
    [InlineData("&timerel=between&timeAt=2026-01-01T00:00:00Z", "endTimeAt")]
    [InlineData("&timerel=before", "timeAt")]
    [InlineData("&timerel=after&timeAt=yesterday", "timeAt")]
    [InlineData("&lastN=0", "lastN")]
    [InlineData("&options=aggregatedValues", "aggrMethods")]
    [InlineData("&options=aggregatedValues&aggrMethods=median", "median")]
    [InlineData("&options=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=1 day", "aggrPeriodDuration")]
    [InlineData("&timeproperty=modifiedAt", "observedAt")]
    [InlineData("&sortBy=time", "sortBy")]
    public async Task BadTemporalParameters_GetA400NamingTheParameter(string query, string named)
    {
        var s = await FirstSeriesAsync();
        using var response = await Keyed().GetAsync(Url(s, query));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith("https://uri.etsi.org/ngsi-ld/errors/", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(named, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemporalWrites_AreRefusedClearly_AndNeedAKey()
    {
        using var anonymous = await app.CreateClient().PostAsync("/ngsi-ld/v1/temporal/entities", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var keyed = await Keyed().PostAsync("/ngsi-ld/v1/temporal/entities", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, keyed.StatusCode);
        Assert.Contains("OperationNotSupported", await keyed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_SeesThePublicSensorsOnly_AndUnknownEntitiesAre404()
    {
        var s = await FirstSeriesAsync(publicSource: true);
        using var open = await app.CreateClient().GetAsync(Url(s, "&lastN=1"));
        Assert.Equal(HttpStatusCode.PartialContent, open.StatusCode);

        // A sensor made internal by a curator disappears for citizens, stays for staff keys.
        var store = app.Services.GetRequiredService<AssetStore>();
        var asset = (await store.FindAsync(s.SourceId))!;
        var actor = new ChangeContext(new CityTwin.Domain.History.ChangeActor("curator@test", CityTwin.Domain.History.ActorKind.User), "edit", "test");
        await store.UpdateAsync(s.SourceId, asset.Version, a => a.Publish(CityTwin.Domain.Assets.PublicationClass.Internal), actor);
        try
        {
            using var closed = await app.CreateClient().GetAsync(Url(s, "&lastN=1"));
            Assert.Equal(HttpStatusCode.NotFound, closed.StatusCode);
            using var staff = await Keyed().GetAsync(Url(s, "&lastN=1"));
            Assert.Equal(HttpStatusCode.PartialContent, staff.StatusCode);
        }
        finally
        {
            asset = (await store.FindAsync(s.SourceId))!;
            await store.UpdateAsync(s.SourceId, asset.Version, a => a.Publish(CityTwin.Domain.Assets.PublicationClass.Public), actor);
        }

        using var missing = await Keyed().GetAsync("/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Device:does-not-exist");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task AggregationPeriods_StartAtTimeAt_ForAfterToo()
    {
        var s = await FirstSeriesAsync();
        var timeAt = s.Rows[0].At;
        var body = await BodyAsync(await Keyed().GetAsync(Url(s, $"&options=aggregatedValues&aggrMethods=totalCount&aggrPeriodDuration=PT1H&timerel=after&timeAt={Instant(timeAt)}")));
        var first = body[s.Iri]!["totalCount"]![0]!.AsArray();
        Assert.Equal(Instant(timeAt + 3600), first[1]!.GetValue<string>()); // the first hour holds nothing after timeAt: omitted
        Assert.Equal(Instant(timeAt + 7200), first[2]!.GetValue<string>());
    }
}
