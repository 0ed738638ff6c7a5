using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CityTwin.Domain.Assets;
using CityTwin.Domain.History;
using CityTwin.Tests.Support;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Interop;
using CityTwin.Web.Features.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Tests.Api;

/// <summary>Exports of a registry selection: formats, publication classes, formula neutralisation, whole-set streaming.</summary>
[Collection(AppCollection.Name)]
public sealed class ExportTests(CityTwinAppFactory app)
{
    private HttpClient Keyed()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CityTwinAppFactory.ApiKey);
        return client;
    }

    private async Task<int> CountAsync(Func<IQueryable<CityTwin.Web.Data.Records.AssetRecord>, IQueryable<CityTwin.Web.Data.Records.AssetRecord>> where)
    {
        var db = app.Services.GetRequiredService<IDbContextFactory<CityTwinDbContext>>();
        await using var context = await db.CreateDbContextAsync();
        return await where(context.Assets.Where(a => a.Status != "Decommissioned")).CountAsync();
    }

    [Fact]
    public async Task GeoJson_Anonymous_HasOnlyPublicAssetsAndAttributes()
    {
        var response = await app.CreateClient().GetAsync("/api/exports/assets?format=geojson&type=Device");
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var features = doc.RootElement.GetProperty("features").EnumerateArray().ToList();

        Assert.Equal(await CountAsync(q => q.Where(a => a.Type == "Device" && a.Publication == "Public")), features.Count);
        Assert.All(features, f =>
        {
            var properties = f.GetProperty("properties");
            Assert.Equal("Public", properties.GetProperty("publicationClass").GetString());
            Assert.False(properties.TryGetProperty("serialNumber", out _), "serial numbers are internal");
            Assert.False(properties.TryGetProperty("ownerDepartment", out _), "departments are internal");
            Assert.True(properties.TryGetProperty("controlledProperty", out _));
        });
    }

    [Fact]
    public async Task GeoJson_WithAWriteKey_HasInternalDataToo()
    {
        using var doc = JsonDocument.Parse(await Keyed().GetStringAsync("/api/exports/assets?format=geojson&type=Device"));
        var features = doc.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(await CountAsync(q => q.Where(a => a.Type == "Device")), features.Count);
        Assert.Contains(features, f => f.GetProperty("properties").TryGetProperty("serialNumber", out _));
    }

    [Fact]
    public async Task NgsiLdNormalized_HasTypedAttributesUnitsRelationshipsAndContexts()
    {
        var response = await Keyed().GetAsync("/api/exports/assets?format=ngsi-ld&type=Streetlight&district=OT");
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType!.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var entity = doc.RootElement.EnumerateArray().First(e => e.TryGetProperty("refStreetlightGroup", out _) && e.TryGetProperty("lanternHeight", out _));

        Assert.StartsWith("urn:ngsi-ld:Streetlight:", entity.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("Streetlight", entity.GetProperty("type").GetString());
        Assert.Equal("Property", entity.GetProperty("name").GetProperty("type").GetString());
        Assert.Equal("MTR", entity.GetProperty("lanternHeight").GetProperty("unitCode").GetString());
        Assert.Equal("Relationship", entity.GetProperty("refStreetlightGroup").GetProperty("type").GetString());
        Assert.StartsWith("urn:ngsi-ld:StreetlightGroup:", entity.GetProperty("refStreetlightGroup").GetProperty("object").GetString(), StringComparison.Ordinal);
        Assert.Equal("GeoProperty", entity.GetProperty("location").GetProperty("type").GetString());
        Assert.Equal("ok", entity.GetProperty("status").GetProperty("value").GetString());
        Assert.True(entity.GetProperty("address").GetProperty("value").TryGetProperty("streetAddress", out _), "address is a PostalAddress");
        var contexts = entity.GetProperty("@context").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(["https://smart-data-models.github.io/dataModel.Streetlighting/context.jsonld"], contexts.Take(1));
        Assert.EndsWith(CityTwinContext.Path, contexts[1], StringComparison.Ordinal);
        Assert.Equal(CityTwinContext.CoreContext, contexts[2]);
    }

    [Fact]
    public async Task NgsiLd_ListAttributesAreArrays_AndAmbiguousTermsUseTheTypesSmartDataModelsName()
    {
        using var buildings = JsonDocument.Parse(await Keyed().GetStringAsync("/api/exports/assets?format=keyvalues&type=Building"));
        var building = buildings.RootElement.EnumerateArray().First(b => b.TryGetProperty("category", out _));
        Assert.Equal(JsonValueKind.Array, building.GetProperty("category").ValueKind);

        using var cabinets = JsonDocument.Parse(await Keyed().GetStringAsync("/api/exports/assets?format=ngsi-ld&type=StreetlightControlCabinet"));
        var cabinet = cabinets.RootElement.EnumerateArray().First();
        var groups = cabinet.GetProperty("refStreetlightGroup").GetProperty("object");
        Assert.Equal(JsonValueKind.Array, groups.ValueKind);
        Assert.All(groups.EnumerateArray(), g => Assert.StartsWith("urn:ngsi-ld:StreetlightGroup:", g.GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task NgsiLdKeyValues_HasPlainValues()
    {
        using var doc = JsonDocument.Parse(await Keyed().GetStringAsync("/api/exports/assets?format=ngsi-ld-keyvalues&type=Tree&cmin=5"));
        var entity = doc.RootElement.EnumerateArray().First();
        Assert.Equal(JsonValueKind.String, entity.GetProperty("name").ValueKind);
        Assert.Equal(5, entity.GetProperty("condition").GetInt32());
        Assert.Equal("Point", entity.GetProperty("location").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ContextDocument_MapsTermsToTheIrisTheExportUses()
    {
        using var doc = JsonDocument.Parse(await app.CreateClient().GetStringAsync(CityTwinContext.Path));
        var context = doc.RootElement.GetProperty("@context");
        Assert.Equal("https://smartdatamodels.org/dataModel.Streetlighting/lanternHeight", context.GetProperty("lanternHeight").GetString());
        Assert.Equal("https://w3id.org/citytwin/condition", context.GetProperty("condition").GetString());
        // "category" means different things for buildings, parking and points of interest: exported as full IRIs.
        Assert.False(context.TryGetProperty("category", out _));
    }

    [Fact]
    public async Task Csv_NeutralisesFormulas_QuotesSeparators_AndCanCarryABom()
    {
        var store = app.Services.GetRequiredService<AssetStore>();
        var asset = Asset.Create(AssetId.For("Garden", $"csv-{Guid.NewGuid():N}"), AssetTypeCatalog.Garden, "=HYPERLINK(\"http://evil\",\"click\")", DateTimeOffset.UtcNow);
        asset.Describe(null, "+1 Market Square, \"North\", Riverford");
        asset.AssignTo("@ops", "NP");
        asset.SetAttribute("openingHours", AttributeValue.OfText("-all day"));
        await store.CreateAsync(asset, new ChangeContext(new ChangeActor("test", ActorKind.User), "Create"));

        var bytes = await Keyed().GetByteArrayAsync("/api/exports/assets?format=csv&type=Garden&bom=true");
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = System.Text.Encoding.UTF8.GetString(bytes[3..]);
        var line = text.Split('\n').Single(l => l.Contains(asset.Id.Value, StringComparison.Ordinal));
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\"", line, StringComparison.Ordinal);
        Assert.Contains("\"'+1 Market Square, \"\"North\"\", Riverford\"", line, StringComparison.Ordinal);
        Assert.Contains(",'@ops,", line, StringComparison.Ordinal);
        Assert.Contains("'-all day", line, StringComparison.Ordinal);
        Assert.StartsWith("id,type,name,status", text, StringComparison.Ordinal);
        Assert.Contains("area (m²)", text.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_OfTheWholeRegistry_StreamsEveryAsset()
    {
        var expected = await CountAsync(q => q);
        var text = await Keyed().GetStringAsync("/api/exports/assets?format=csv");
        // Every record starts with its URN id; a quoted multi-line cell continues on lines that do not.
        var rows = text.Split('\n').Count(l => l.StartsWith("urn:", StringComparison.Ordinal));
        Assert.InRange(rows, expected, expected + 5); // other tests of the shared app may add a few assets meanwhile
        Assert.True(rows > 9_000);
    }

    [Theory]
    [InlineData("ngsi-ld")]
    [InlineData("keyvalues")]
    public async Task NgsiLd_OfEveryTypeWithASchema_IsValidAgainstTheOfficialSmartDataModelsSchema(string format)
    {
        var schemas = app.Services.GetRequiredService<CityTwin.Web.Features.Import.SdmSchemas>();
        var failures = new List<string>();
        var checkedTypes = 0;
        foreach (var type in AssetTypeCatalog.All.Where(t => schemas.HasSchema(t.Name)))
        {
            using var doc = JsonDocument.Parse(await Keyed().GetStringAsync($"/api/exports/assets?format={format}&type={type.Name}"));
            var entities = doc.RootElement.EnumerateArray().ToList();
            if (entities.Count == 0)
            {
                continue;
            }

            checkedTypes++;
            foreach (var entity in entities)
            {
                using var keyValues = JsonDocument.Parse(CityTwin.Web.Features.Import.SdmSchemas.ToKeyValues(entity));
                failures.AddRange(schemas.Validate(type.Name, keyValues.RootElement).Select(e => $"{type.Name} {e.Path}: {e.Message}"));
            }
        }

        Assert.True(checkedTypes >= 10, $"only {checkedTypes} demo types have a schema");
        Assert.True(failures.Count == 0, string.Join("\n", failures.GroupBy(f => f).Select(g => $"{g.Count()} × {g.Key}")));
    }

    [Fact]
    public async Task NgsiLd_WithAFullTextAndDistrictFilter_ExportsExactlyTheFilteredSelection()
    {
        var db = app.Services.GetRequiredService<IDbContextFactory<CityTwinDbContext>>();
        await using var context = await db.CreateDbContextAsync();
        var expected = await context.Assets.FromSqlRaw(CityTwin.Web.Data.Sqlite.SqliteSearchIndexes.AssetsMatchingText, CityTwin.Web.Data.Sqlite.SqliteSearchIndexes.ToMatchQuery("chestnut")!)
            .Where(a => a.Status != "Decommissioned" && a.DistrictCode == "WB").Select(a => a.Id).OrderBy(i => i).ToListAsync();
        Assert.NotEmpty(expected);

        using var doc = JsonDocument.Parse(await Keyed().GetStringAsync("/api/exports/assets?format=keyvalues&q=chestnut&district=WB"));
        var ids = doc.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), ids);
        Assert.All(doc.RootElement.EnumerateArray(), e => Assert.Equal("WB", e.GetProperty("district").GetString()));
    }

    /// <summary>An entity written through the NGSI-LD API (generic type, several instances, scope, two types) exports in every format.</summary>
    [Fact]
    public async Task Export_OfAnEntityWrittenThroughTheNgsiLdApi_IsWellFormedInEveryFormat()
    {
        var id = "urn:ngsi-ld:Vehicle:export-" + Guid.NewGuid().ToString("N")[..8];
        var entity = """
            {"id":"ID","type":["Vehicle","Car"],"scope":"/city/fleet",
             "speed":[{"type":"Property","value":55,"datasetId":"urn:ngsi-ld:Dataset:gps"},{"type":"Property","value":54.5}],
             "owner":{"type":"Relationship","object":"urn:ngsi-ld:Person:alice","observedAt":"2026-11-28T10:00:00Z"},
             "note":{"type":"LanguageProperty","languageMap":{"fr":"voiture","nl":"auto"}},
             "location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[4.4,50.87]}}}
            """.Replace("\"ID\"", "\"" + id + "\"", StringComparison.Ordinal);
        using var content = new StringContent(entity, System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Created, (await Keyed().PostAsync("/ngsi-ld/v1/entities", content)).StatusCode);

        foreach (var format in new[] { "geojson", "ngsi-ld", "keyvalues" })
        {
            using var doc = JsonDocument.Parse(await Keyed().GetStringAsync($"/api/exports/assets?format={format}&q=export"));
            var all = format == "geojson" ? doc.RootElement.GetProperty("features").EnumerateArray() : doc.RootElement.EnumerateArray();
            var exported = all.Single(e => e.GetProperty("id").GetString() == id);
            var text = exported.GetRawText();
            Assert.DoesNotContain("entityTypes", text, StringComparison.Ordinal);
            Assert.DoesNotContain("/scope", text, StringComparison.Ordinal);
            Assert.Contains("speed", text, StringComparison.Ordinal);
        }

        var csv = await Keyed().GetStringAsync("/api/exports/assets?format=csv&q=export");
        Assert.Contains(id, csv, StringComparison.Ordinal);
        Assert.Contains("speed", csv, StringComparison.Ordinal);
    }

    public static TheoryData<string> Formats() => new(Enum.GetNames<ExportFormat>());

    /// <summary>
    /// The SQLite fast path (rows straight from the statement, ADR 0009) and the data-reader path (PostgreSQL's) write
    /// the same bytes, for selections whose SQL binds text, integers and dates, for staff and for citizens.
    /// </summary>
    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Export_StraightFromSqlite_IsByteIdenticalToTheDataReaderPath(string formatName)
    {
        var format = Enum.Parse<ExportFormat>(formatName);
        var service = new ExportService(app.Services.GetRequiredService<IDbContextFactory<CityTwinDbContext>>(), TimeProvider.System);
        RegistryFilter[] filters =
        [
            RegistryFilter.Empty,
            new() { Type = "Streetlight", District = "OT", ConditionMin = 2, ConditionMax = 4, InstalledFrom = 1990 },
            new() { Text = "chestnut", IncludeDecommissioned = true },
            new() { Issue = CityTwin.Domain.Assets.QualityIssue.StaleInspection, Type = "Tree" },
        ];
        var factory = app.Services.GetRequiredService<IDbContextFactory<CityTwinDbContext>>();
        foreach (var filter in filters)
        {
            await using (var context = await factory.CreateDbContextAsync())
            {
                // The fast path really applies to this selection's SQL (it declines parameters it cannot bind exactly).
                await context.Database.OpenConnectionAsync();
                await using var command = RegistryQueryService.Filter(context, filter, DateOnly.FromDateTime(DateTime.UtcNow)).CreateDbCommand();
                using var statement = CityTwin.Web.Data.Sqlite.SqliteRawReader.TryOpen(command);
                Assert.NotNull(statement);
            }

            foreach (var publicOnly in new[] { false, true })
            {
                var request = new ExportRequest(filter, format, publicOnly, "http://localhost/ctx");
                service.RawSqlite = true;
                using var fast = new MemoryStream();
                var n = await service.WriteAsync(request, fast);
                service.RawSqlite = false;
                using var reader = new MemoryStream();
                Assert.Equal(n, await service.WriteAsync(request, reader));
                Assert.True(n > 0 || filter.Issue is not null, $"{filter} exported nothing");
                Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(reader.ToArray())),
                    Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(fast.ToArray())));
            }
        }
    }

    [Theory]
    [InlineData("/api/exports/assets")]
    [InlineData("/api/exports/assets?format=xlsx")]
    public async Task Export_WithoutAKnownFormat_Is400(string url)
    {
        var response = await app.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("geojson, csv, ngsi-ld", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("-5", "'-5")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData("plain", "plain")]
    [InlineData(null, "")]
    public void Cell_EscapesAndNeutralises(string? input, string expected) => Assert.Equal(expected, ExportService.Cell(input));
}
