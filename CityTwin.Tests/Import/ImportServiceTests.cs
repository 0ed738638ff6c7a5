using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CityTwin.Domain.Assets;
using CityTwin.Domain.Geography;
using CityTwin.Domain.History;
using CityTwin.Tests.Support;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Import;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Tests.Import;

/// <summary>An app of its own: imports add thousands of assets that the shared app's tests must not see.</summary>
public sealed class ImportAppFactory : CityTwinAppFactory;

public sealed class ImportServiceTests(ImportAppFactory app) : IClassFixture<ImportAppFactory>
{
    private static readonly ChangeActor Tester = new("import-tester", ActorKind.User);

    private ImportService Imports => app.Services.GetRequiredService<ImportService>();

    private async Task<CityTwinDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<CityTwinDbContext>>().CreateDbContextAsync();

    private static ImportMapping ZurichMapping => new()
    {
        AssetType = "WasteContainer",
        KeyColumn = "poi_id",
        IdPrefix = "zurich-",
        NameTemplate = "Sammelstelle {adresse}",
        GeometryColumn = "geometry",
        Fields =
        [
            new FieldMapping("adresse", "address"),
            new FieldMapping("glas", "attr:glass", EmptyAs: "false"),
            new FieldMapping("metall", "attr:metal", EmptyAs: "false"),
            new FieldMapping("oel", "attr:oil", EmptyAs: "false"),
            new FieldMapping("behindertengerecht", "attr:stepFree", EmptyAs: "false"),
            new FieldMapping("plz", "attr:postalCode:text"),
        ],
        Constants = new Dictionary<string, string> { ["department"] = "ERZ Entsorgung + Recycling Zürich" },
    };

    [Fact]
    public async Task Zurich_Csv_Lv95Wkt_IsTransformed_FlagsRead_AndReimportChangesNothing()
    {
        var bytes = SharedData.Bytes("real/zurich-waste-points/stadt_zuerich_sammelstelle.csv");
        var request = new ImportRequest
        {
            Format = ImportFormat.Csv, FileName = "stadt_zuerich_sammelstelle.csv", Mapping = ZurichMapping, SourceCrs = "EPSG:2056",
            AllowOutsideExtent = true, Mode = ImportMode.Commit,
        };
        var report = await Imports.RunAsync(bytes, request, Tester);
        Assert.Null(report.FileError);
        Assert.Equal(173, report.Total);
        Assert.Equal(0, report.Rejected);
        Assert.Equal(173, report.New);
        Assert.True(report.Committed);

        await using (var db = await DbAsync())
        {
            var rows = await db.Assets.AsNoTracking().Where(a => a.Id.StartsWith("urn:ngsi-ld:WasteContainer:zurich-")).ToListAsync();
            Assert.Equal(173, rows.Count);
            Assert.All(rows, r =>
            {
                Assert.InRange(r.MinLat!.Value, 47.3268 - 1e-4, 47.4276 + 1e-4);
                Assert.InRange(r.MinLon!.Value, 8.4715 - 1e-4, 8.6008 + 1e-4);
            });
            var first = AssetMapper.ToDomain(rows.Single(r => r.Address == "Mythenquai 1"));
            Assert.InRange(first.Geometry!.Anchor.Latitude, 47.3622987 - 1e-5, 47.3622987 + 1e-5);
            Assert.InRange(first.Geometry.Anchor.Longitude, 8.5355716 - 1e-5, 8.5355716 + 1e-5);
            Assert.Equal("Sammelstelle Mythenquai 1", first.Name);
            Assert.Equal("ERZ Entsorgung + Recycling Zürich", first.Department);
            var all = rows.Select(AssetMapper.ToDomain).ToList();
            Assert.Equal(173, all.Count(a => a.Attributes["https://w3id.org/citytwin/glass"].Boolean == true));
            Assert.Equal(161, all.Count(a => a.Attributes["https://w3id.org/citytwin/metal"].Boolean == true));
            Assert.Equal(42, all.Count(a => a.Attributes["https://w3id.org/citytwin/oil"].Boolean == true));
            Assert.Equal(47, all.Count(a => a.Attributes["https://w3id.org/citytwin/stepFree"].Boolean == true));
            Assert.Equal(AttributeDataType.Text, first.Attributes["https://w3id.org/citytwin/postalCode"].Type);
            Assert.StartsWith("import: stadt_zuerich_sammelstelle.csv", first.Provenance!.SourceSystem, StringComparison.Ordinal);
            var history = await db.AssetChanges.AsNoTracking().Where(c => c.AssetId == first.Id.Value).ToListAsync();
            // One entry per new asset, its initial values as JSON.
            var created = Assert.Single(history);
            Assert.Equal((ChangeOperations.Import, "import-tester", "created"), (created.Operation, created.Actor, created.Field));
            using var initial = JsonDocument.Parse(created.To!);
            Assert.Equal(first.Name, initial.RootElement.GetProperty("name").GetString());
        }

        var again = await Imports.RunAsync(bytes, request, Tester);
        Assert.Equal(173, again.Unchanged);
        Assert.Equal(0, again.New + again.Updated + again.Rejected);
    }

    [Fact]
    public async Task Zurich_WithoutTheCrs_IsRejectedRowByRow_AndNothingIsWritten()
    {
        var bytes = SharedData.Bytes("real/zurich-waste-points/stadt_zuerich_sammelstelle.csv");
        var request = new ImportRequest { Format = ImportFormat.Csv, FileName = "z.csv", Mapping = ZurichMapping with { IdPrefix = "nocrs-" }, Mode = ImportMode.Commit };
        var report = await Imports.RunAsync(bytes, request, Tester);
        Assert.Equal(173, report.Rejected);
        Assert.Contains(report.Issues, i => i.Row == 2 && i.Field == "geometry" && i.Reason.Contains("projected", StringComparison.Ordinal));
        await using var db = await DbAsync();
        Assert.Equal(0, await db.Assets.CountAsync(a => a.Id.StartsWith("urn:ngsi-ld:WasteContainer:nocrs-")));
    }

    [Fact]
    public async Task WestHollywood_GeoJson_LegacyCrs_9066Trees_VacantSitesKept_Idempotent()
    {
        var bytes = SharedData.Bytes("real/west-hollywood-trees/west-hollywood.geojson");
        var mapping = new ImportMapping
        {
            AssetType = "Tree",
            KeyColumn = "ID",
            IdPrefix = "weho-",
            NameTemplate = "{BotName} #{ID}",
            Fields =
            [
                new FieldMapping("BotName", "species"),
                new FieldMapping("species", "commonName"),
                new FieldMapping("species", "plantingSite", new Dictionary<string, string> { ["VACANT SITE"] = "vacant", ["*"] = "occupied" }),
                new FieldMapping("OID", "attr:sourceObjectId"),
            ],
        };
        var request = new ImportRequest
        {
            Format = ImportFormat.GeoJson, FileName = "west-hollywood.geojson", Mapping = mapping, AllowOutsideExtent = true, Mode = ImportMode.Commit,
        };
        var report = await Imports.RunAsync(bytes, request, Tester);
        Assert.Null(report.FileError);
        Assert.StartsWith("EPSG:4326", report.SourceCrs, StringComparison.Ordinal);
        Assert.Equal(9066, report.Total);
        Assert.Equal(9066, report.New);
        Assert.True(report.Committed);
        Assert.All(report.Issues, i => Assert.True(i.Warning)); // outside Riverford: warnings only, as allowed

        await using (var db = await DbAsync())
        {
            var trees = await db.Assets.AsNoTracking().Where(a => a.Id.StartsWith("urn:ngsi-ld:Tree:weho-")).ToListAsync();
            Assert.Equal(9066, trees.Count);
            var domain = trees.Select(AssetMapper.ToDomain).ToList();
            Assert.Equal(491, domain.Count(t => t.Attributes[AssetTypeCatalog.Tree.FindAttribute("plantingSite")!.Iri].Text == "vacant"));
            var first = domain.Single(t => t.Id.Value == "urn:ngsi-ld:Tree:weho-1");
            Assert.InRange(first.Geometry!.Anchor.Longitude, -118.382599 - 1e-5, -118.382599 + 1e-5);
            Assert.InRange(first.Geometry.Anchor.Latitude, 34.092338 - 1e-5, 34.092338 + 1e-5);
            Assert.All(domain, t => Assert.InRange(t.Geometry!.Anchor.Latitude, 34.07645 - 1e-5, 34.09792 + 1e-5));
        }

        var again = await Imports.RunAsync(bytes, request, Tester);
        Assert.Equal(9066, again.Unchanged);
    }

    [Fact]
    public async Task OutsideTheCity_IsRejectedByDefault_AndSwappedCoordinatesAreNamed()
    {
        var csv = "key,name,lat,lon\nA,Inside,50.9012,4.4712\nB,Swapped,4.4712,50.9012\nC,Far away,34.09,-118.38\n";
        var request = new ImportRequest
        {
            Format = ImportFormat.Csv, FileName = "points.csv",
            Mapping = new ImportMapping { AssetType = "PointOfInterest", KeyColumn = "key", IdPrefix = "extent-", NameTemplate = "name", LatitudeColumn = "lat", LongitudeColumn = "lon" },
        };
        var report = await Imports.RunAsync(Encoding.UTF8.GetBytes(csv), request, Tester);
        Assert.Equal(1, report.New);
        Assert.Equal(2, report.Rejected);
        Assert.Contains(report.Issues, i => i.Row == 3 && i.Reason.Contains("swapped", StringComparison.Ordinal));
        Assert.Contains(report.Issues, i => i.Row == 4 && i.Reason.Contains("outside the city", StringComparison.Ordinal));

        // Committed without a district column, the asset lands in the district whose boundary holds it.
        await Imports.RunAsync(Encoding.UTF8.GetBytes(csv), request with { Mode = ImportMode.Commit }, Tester);
        await using var db = await DbAsync();
        var inside = await db.Assets.AsNoTracking().SingleAsync(a => a.Id == "urn:ngsi-ld:PointOfInterest:extent-A");
        Assert.NotNull(inside.DistrictCode);
        var boundary = await db.Districts.Where(d => d.Code == inside.DistrictCode).Select(d => d.Boundary).SingleAsync();
        Assert.True(GeoJson.Read(boundary).Covers(new GeoPosition(4.4712, 50.9012)));
        Assert.Equal(1, (await Imports.RunAsync(Encoding.UTF8.GetBytes(csv), request, Tester)).Unchanged);
    }

    private static readonly string[] NotAssets = ["AirQualityObserved", "KeyPerformanceIndicator", "NoiseLevelObserved", "TrafficFlowObserved", "WeatherObserved"];

    /// <summary>Files the official schema or the registry refuses, with the reason each must name.</summary>
    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["PointOfInterest/example.jsonld"] = "not valid JSON",                       // upstream file misses a comma
        ["EVChargingStation/example.jsonld"] = "iudx:EVChargingStation",              // its @context lists a compact IRI, not a URL
        ["Device/example.jsonld"] = "Smart Data Models schema of Device",             // batteryLevel fails the official schema
        ["Device/example-normalized.jsonld"] = "Smart Data Models schema of Device",
        ["Device/example.json"] = "Measures expects a text value",                   // controlledProperty lists two values; the registry keeps one
        ["Device/example-normalized.json"] = "Measures expects a text value",
    };

    [Fact]
    public async Task SdmExamples_EveryFile_IsImportedOrRejectedWithItsReason()
    {
        var files = Directory.GetFiles(SharedData.PathOf("standards/sdm"), "*.json*", SearchOption.AllDirectories)
            .Where(p => p.Contains($"{Path.DirectorySeparatorChar}examples{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(73, files.Count);
        var imported = 0;
        foreach (var path in files)
        {
            var model = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path)))!;
            var key = $"{model}/{Path.GetFileName(path)}";
            var report = await Imports.RunAsync(await File.ReadAllBytesAsync(path), new ImportRequest
            {
                Format = ImportFormat.NgsiLd, FileName = Path.GetFileName(path), AllowOutsideExtent = true,
            }, Tester);
            var reasons = (report.FileError ?? "") + string.Join(" | ", report.Issues.Where(i => !i.Warning).Select(i => i.Reason));
            if (Refused.TryGetValue(key, out var expected))
            {
                Assert.True(report.New == 0 && reasons.Contains(expected, StringComparison.Ordinal), $"{key}: expected refusal '{expected}', got {reasons}");
            }
            else if (NotAssets.Contains(model))
            {
                Assert.True(report.Rejected == 1 && reasons.Contains("is not an asset type", StringComparison.Ordinal), $"{key}: {reasons}");
            }
            else
            {
                Assert.True(report.Total == 1 && report.Rejected == 0, $"{key} should import: {reasons}");
                imported++;
            }
        }

        Assert.Equal(45, imported);
    }

    [Fact]
    public async Task SdmStreetlightGroup_MultiLineString_IsKeptWithEveryLine()
    {
        var bytes = SharedData.Bytes("standards/sdm/StreetlightGroup/examples/example-normalized.json");
        using var source = JsonDocument.Parse(bytes);
        var lines = source.RootElement.GetProperty("location").GetProperty("value").GetProperty("coordinates");
        var report = await Imports.RunAsync(bytes, new ImportRequest { Format = ImportFormat.NgsiLd, FileName = "group.json", AllowOutsideExtent = true, Mode = ImportMode.Commit }, Tester);
        Assert.True(report.Committed || report.Unchanged == 1, string.Join(" | ", report.Issues.Select(i => i.Reason)));

        var id = source.RootElement.GetProperty("id").GetString()!;
        var asset = await app.Services.GetRequiredService<AssetStore>().FindAsync(id.StartsWith("urn:", StringComparison.Ordinal) ? id : $"urn:ngsi-ld:StreetlightGroup:{id}");
        Assert.NotNull(asset);
        Assert.Equal(GeometryKind.MultiLineString, asset.Geometry!.Kind);
        Assert.Equal(lines.GetArrayLength(), asset.Geometry.Parts.Count);
        Assert.Equal(lines[0][0][0].GetDouble(), asset.Geometry.Parts[0][0].Longitude, 6);
        var last = lines[lines.GetArrayLength() - 1];
        Assert.Equal(last[last.GetArrayLength() - 1][1].GetDouble(), asset.Geometry.Parts[^1][^1].Latitude, 6);
    }

    [Theory]
    [InlineData("example.json")]
    [InlineData("example-normalized.json")]
    [InlineData("example.jsonld")]
    [InlineData("example-normalized.jsonld")]
    public async Task SdmStreetlight_EveryRepresentation_GivesTheSameValues(string file)
    {
        var bytes = SharedData.Bytes($"standards/sdm/Streetlight/examples/{file}");
        var report = await Imports.RunAsync(bytes, new ImportRequest { Format = ImportFormat.NgsiLd, FileName = file, AllowOutsideExtent = true, Mode = ImportMode.Commit }, Tester);
        Assert.True(report.Committed || report.Unchanged == 1, string.Join(" | ", report.Issues.Select(i => i.Reason)));
        var asset = await app.Services.GetRequiredService<AssetStore>().FindAsync("urn:ngsi-ld:Streetlight:streetlight:guadalajara:4567");
        Assert.NotNull(asset);
        Assert.Equal(10, asset.Attributes[AssetTypeCatalog.Streetlight.FindAttribute("lanternHeight")!.Iri].Number);
        Assert.Equal("centralIsland", asset.Attributes[AssetTypeCatalog.Streetlight.FindAttribute("locationCategory")!.Iri].Text);
        Assert.InRange(asset.Geometry!.Anchor.Longitude, -3.1644857, -3.1644855);
        Assert.InRange(asset.Geometry.Anchor.Latitude, 40.6278512, 40.6278514);
        Assert.Equal("ok", asset.Attributes["https://uri.etsi.org/ngsi-ld/status"].Text);
    }

    [Fact]
    public async Task FiwareTutorial_Buildings_AreImported_PeopleAreNotAssets()
    {
        var bytes = SharedData.Bytes("standards/fiware-tutorials/Linked-Data/entities-normalized.json");
        var report = await Imports.RunAsync(bytes, new ImportRequest { Format = ImportFormat.NgsiLd, FileName = "linked-data.json", AllowOutsideExtent = true }, Tester);
        Assert.Equal(8, report.Total);
        Assert.Equal(4, report.New);
        Assert.Equal(4, report.Rejected);
        Assert.All(report.Issues.Where(i => !i.Warning), i => Assert.Contains("'Person' is not an asset type", i.Reason, StringComparison.Ordinal));
        var farm = report.Rows.Single(r => r.EntityId == "urn:ngsi-ld:Building:farm001");
        Assert.Equal("Victory Farm", farm.Name);
    }

    [Theory]
    [InlineData("geojson", ImportFormat.GeoJson)]
    [InlineData("csv", ImportFormat.Csv)]
    [InlineData("ngsi-ld", ImportFormat.NgsiLd)]
    [InlineData("ngsi-ld-keyvalues", ImportFormat.NgsiLd)]
    public async Task Export_ThenImport_ChangesNothing(string exportFormat, ImportFormat importFormat)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CityTwinAppFactory.ApiKey);
        foreach (var type in new[] { "Streetlight", "Building", "FlowerBed", "Device" })
        {
            var bytes = await client.GetByteArrayAsync($"/api/exports/assets?format={exportFormat}&type={type}&district=OT");
            var report = await Imports.RunAsync(bytes, new ImportRequest { Format = importFormat, FileName = $"export.{exportFormat}", Mode = ImportMode.Commit }, Tester);
            Assert.Null(report.FileError);
            Assert.True(report.Total > 0, $"{type}: the export is not empty");
            Assert.True(report.Unchanged == report.Total,
                $"{type} {exportFormat}: {report.New} new, {report.Updated} updated, {report.Rejected} rejected: " +
                string.Join(" | ", report.Issues.Take(5).Select(i => $"{i.EntityId} {i.Field}={i.Value}: {i.Reason}")) +
                string.Join(" | ", report.Rows.Where(r => r.Outcome == ImportOutcome.Updated).Take(3).Select(r => r.EntityId)));
        }
    }

    [Fact]
    public async Task AllOrNothing_OneBadRow_WritesNothing_OtherwiseTheGoodRowsLand()
    {
        var csv = "key;name;condition;inspectedOn;lat;lon\nG1;Good one;4;01.03.2024;50,9012;4,4712\nB1;Bad one;9;01.03.2024;50,9013;4,4713\n";
        var request = new ImportRequest
        {
            Format = ImportFormat.Csv, FileName = "mixed.csv", Mode = ImportMode.Commit, AllOrNothing = true,
            Mapping = new ImportMapping
            {
                AssetType = "PointOfInterest", KeyColumn = "key", IdPrefix = "aon-", NameTemplate = "name", LatitudeColumn = "lat", LongitudeColumn = "lon",
                Fields = [new FieldMapping("condition", "condition"), new FieldMapping("inspectedOn", "inspectedOn")],
            },
        };
        var report = await Imports.RunAsync(Encoding.UTF8.GetBytes(csv), request, Tester);
        Assert.Equal(1, report.Rejected);
        Assert.False(report.Committed);
        Assert.Contains(report.Issues, i => i.Row == 3 && i.Field == "condition");
        var store = app.Services.GetRequiredService<AssetStore>();
        Assert.Null(await store.FindAsync("urn:ngsi-ld:PointOfInterest:aon-G1"));

        var partial = await Imports.RunAsync(Encoding.UTF8.GetBytes(csv), request with { AllOrNothing = false }, Tester);
        Assert.True(partial.Committed);
        var good = await store.FindAsync("urn:ngsi-ld:PointOfInterest:aon-G1");
        Assert.Equal(4, good!.Condition);
        Assert.Equal(new DateOnly(2024, 3, 1), good.InspectedOn);
        Assert.Null(await store.FindAsync("urn:ngsi-ld:PointOfInterest:aon-B1"));
    }

    [Fact]
    public async Task HostileText_IsStoredAsText_AndTheReportCsvIsFormulaSafe()
    {
        var csv = "key,name,address\nH1,\"=HYPERLINK(\"\"http://evil\"\")\",<script>alert(1)</script>'; DROP TABLE Assets;--\nH2,Bad,x\n";
        var request = new ImportRequest
        {
            Format = ImportFormat.Csv, FileName = "hostile.csv", Mode = ImportMode.Commit,
            Mapping = new ImportMapping
            {
                AssetType = "PointOfInterest", KeyColumn = "key", IdPrefix = "hostile-", NameTemplate = "name",
                Fields = [new FieldMapping("address", "address"), new FieldMapping("key", "condition")],
            },
        };
        var report = await Imports.RunAsync(Encoding.UTF8.GetBytes(csv), request, Tester);
        Assert.Equal(2, report.Rejected); // "H1" is not a condition
        var text = ImportReportCsv.Write(report with { Issues = [new ImportIssue(2, null, "name", "=HYPERLINK(1)", "@bad")] });
        Assert.Contains("'=HYPERLINK(1)", text, StringComparison.Ordinal);
        Assert.Contains("'@bad", text, StringComparison.Ordinal);

        var ok = await Imports.RunAsync(Encoding.UTF8.GetBytes(csv), request with { Mapping = request.Mapping! with { Fields = [new FieldMapping("address", "address")] } }, Tester);
        Assert.True(ok.Committed);
        var stored = await app.Services.GetRequiredService<AssetStore>().FindAsync("urn:ngsi-ld:PointOfInterest:hostile-H1");
        Assert.Equal("=HYPERLINK(\"http://evil\")", stored!.Name);
        Assert.Equal("<script>alert(1)</script>'; DROP TABLE Assets;--", stored.Address);
    }

    [Fact]
    public async Task Api_DryRunAndCommit_WithAnApiKey_JsonAndCsvReports()
    {
        var anonymous = await app.CreateClient().PostAsync("/api/imports", Form("a.csv", "key,name\n1,x\n", ("format", "csv")));
        Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, await anonymous.Content.ReadAsStringAsync());

        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CityTwinAppFactory.ApiKey);
        var mapping = JsonSerializer.Serialize(new ImportMapping { AssetType = "PointOfInterest", KeyColumn = "key", IdPrefix = "api-", NameTemplate = "name", LatitudeColumn = "lat", LongitudeColumn = "lon" }, ImportMappingStore.Json);
        const string csv = "key,name,lat,lon\nP1,Fountain,50.9012,4.4712\nP2,Bench,50.9013,4.4713\n";
        var dry = await client.PostAsync("/api/imports", Form("points.csv", csv, ("format", "csv"), ("mode", "dryrun"), ("mapping", mapping)));
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        using (var json = JsonDocument.Parse(await dry.Content.ReadAsStringAsync()))
        {
            Assert.Equal(2, json.RootElement.GetProperty("new").GetInt32());
            Assert.False(json.RootElement.GetProperty("committed").GetBoolean());
        }

        Assert.Null(await app.Services.GetRequiredService<AssetStore>().FindAsync("urn:ngsi-ld:PointOfInterest:api-P1"));
        var commit = await client.PostAsync("/api/imports", Form("points.csv", csv, ("format", "csv"), ("mode", "commit"), ("mapping", mapping)));
        using (var json = JsonDocument.Parse(await commit.Content.ReadAsStringAsync()))
        {
            Assert.True(json.RootElement.GetProperty("committed").GetBoolean());
        }

        var changes = await (await DbAsync()).AssetChanges.AsNoTracking().Where(c => c.AssetId == "urn:ngsi-ld:PointOfInterest:api-P1").ToListAsync();
        Assert.Contains(changes, c => c.ActorKind == "ApiKey" && c.Operation == ChangeOperations.Import);

        var bad = new HttpRequestMessage(HttpMethod.Post, "/api/imports") { Content = Form("bad.jsonld", "{ \"id\": ", ("format", "ngsi-ld"), ("mode", "commit")) };
        bad.Headers.Accept.ParseAdd("text/csv");
        var badResponse = await client.SendAsync(bad);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badResponse.StatusCode);
        Assert.Contains("not valid JSON", await badResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var unknownFormat = await client.PostAsync("/api/imports", Form("x.bin", "zz", ("format", "xls")));
        Assert.Equal(HttpStatusCode.BadRequest, unknownFormat.StatusCode);
    }

    [Fact]
    public async Task RaggedCsvRows_ShortOnesAreWarned_ShiftedOnesRejected_TrailingEmptyCellsIgnored()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var csv = "key,name,lat,lon,capacity\n" +
                  $"{suffix}a,Short row,50.9012,4.4712\n" +
                  $"{suffix}b,Shifted, row,50.9013,4.4713,12\n" +
                  $"{suffix}c,Trailing delimiters,50.9014,4.4714,5,,\n" +
                  $"{suffix}d,Normal row,50.9015,4.4715,6\n";
        var report = await Imports.RunAsync(Encoding.UTF8.GetBytes(csv), new ImportRequest
        {
            Format = ImportFormat.Csv, FileName = "ragged.csv",
            Mapping = new ImportMapping { AssetType = "PointOfInterest", KeyColumn = "key", IdPrefix = "ragged-", NameTemplate = "name", LatitudeColumn = "lat", LongitudeColumn = "lon",
                Fields = [new FieldMapping("capacity", "capacity")] },
        }, Tester);

        Assert.Equal((3, 1), (report.New, report.Rejected));
        Assert.Contains(report.Issues, i => i.Row == 2 && i.Warning && i.Reason.Contains("4 cells but the header 5", StringComparison.Ordinal));
        Assert.Contains(report.Issues, i => i.Row == 3 && !i.Warning && i.Reason.Contains("must be quoted", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Issues, i => i.Row is 4 or 5);
    }

    [Fact]
    public async Task RelationshipsToMissingEntities_AreKeptButNamed_AndAnIdOfAnotherType_IsRejected()
    {
        string treeId;
        await using (var db = await DbAsync())
        {
            treeId = await db.Assets.Where(a => a.Type == "Tree").OrderBy(a => a.Seq).Select(a => a.Id).FirstAsync();
        }

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var json = $$"""
            [
              { "id": "urn:ngsi-ld:StreetlightGroup:rel-{{suffix}}", "type": "StreetlightGroup", "name": "Circuit {{suffix}}",
                "location": { "type": "Point", "coordinates": [4.4712, 50.9012] } },
              { "id": "urn:ngsi-ld:Streetlight:rel-{{suffix}}-1", "type": "Streetlight", "name": "Light 1 {{suffix}}",
                "location": { "type": "Point", "coordinates": [4.4713, 50.9013] },
                "refStreetlightGroup": "urn:ngsi-ld:StreetlightGroup:rel-{{suffix}}" },
              { "id": "urn:ngsi-ld:Streetlight:rel-{{suffix}}-2", "type": "Streetlight", "name": "Light 2 {{suffix}}",
                "location": { "type": "Point", "coordinates": [4.4714, 50.9014] },
                "refStreetlightGroup": "urn:ngsi-ld:StreetlightGroup:nowhere-{{suffix}}" },
              { "id": "{{treeId}}", "type": "Streetlight", "name": "Not a tree" },
              { "id": "urn:ngsi-ld:Streetlight:rel-{{suffix}}-3", "type": "Streetlight", "name": "Light 3 {{suffix}}",
                "location": { "type": "Point", "coordinates": [4.4715, 50.9015] }, "lanternHeight": "8" }
            ]
            """;
        var report = await Imports.RunAsync(Encoding.UTF8.GetBytes(json), new ImportRequest
        {
            Format = ImportFormat.NgsiLd, FileName = "lights.json", ContextUrl = "https://w3id.org/citytwin" + CityTwin.Web.Features.Interop.CityTwinContext.Path,
        }, Tester);

        Assert.Equal((4, 1), (report.New, report.Rejected));
        var asText = Assert.Single(report.Issues, i => i.Warning && i.Row == 5);
        Assert.Equal(("lanternHeight", "8"), (asText.Field, asText.Value));
        Assert.Contains("number written as text", asText.Reason, StringComparison.Ordinal);
        var missing = Assert.Single(report.Issues, i => i.Warning && i.Row != 5);
        Assert.Equal((3, $"urn:ngsi-ld:StreetlightGroup:nowhere-{suffix}"), (missing.Row, missing.Value));
        Assert.Contains("No asset with this id", missing.Reason, StringComparison.Ordinal);
        Assert.Contains(report.Issues, i => !i.Warning && i.Row == 4 && i.Reason.Contains("belongs to a tree (Tree)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheFileSizeLimit_IsConfigurable_AndABiggerFileIsRefusedWithTheSettingNamed_NothingWritten()
    {
        using var small = app.WithWebHostBuilder(b => b.UseSetting("CityTwin:Import:MaxFileMegabytes", "1"));
        var imports = small.Services.GetRequiredService<ImportService>();
        Assert.Equal(1024 * 1024, imports.MaxFileBytes);

        // 1.5 MB of valid CSV: 30,000 rows of benches inside the city.
        var csv = new StringBuilder("key,name,lat,lon\n");
        for (var i = 0; csv.Length < 1_500_000; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"big{i},Bench number {i} on the long promenade,50.9012,4.4712\n");
        }

        var before = await (await DbAsync()).Assets.CountAsync();
        var client = small.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CityTwinAppFactory.ApiKey);
        var response = await client.PostAsync("/api/imports", Form("big.csv", csv.ToString(), ("format", "csv"), ("assetType", "PointOfInterest"), ("mode", "commit")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("CityTwin:Import:MaxFileMegabytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var report = await imports.RunAsync(Encoding.UTF8.GetBytes(csv.ToString()), new ImportRequest { Format = ImportFormat.Csv, FileName = "big.csv", Mode = ImportMode.Commit }, Tester);
        Assert.Contains("larger than 1 MB", report.FileError, StringComparison.Ordinal);
        Assert.Equal(before, await (await DbAsync()).Assets.CountAsync());
    }

    private static MultipartFormDataContent Form(string fileName, string content, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    [Fact]
    public async Task InvalidJson_IsRefusedAsAWhole_AndNothingIsWritten()
    {
        await using var before = await DbAsync();
        var count = await before.Assets.CountAsync();
        var report = await Imports.RunAsync(SharedData.Bytes("standards/sdm/PointOfInterest/examples/example.jsonld"), new ImportRequest
        {
            Format = ImportFormat.NgsiLd, FileName = "example.jsonld", Mode = ImportMode.Commit,
        }, Tester);
        Assert.Contains("not valid JSON", report.FileError, StringComparison.Ordinal);
        Assert.False(report.Committed);
        await using var after = await DbAsync();
        Assert.Equal(count, await after.Assets.CountAsync());
    }
}
