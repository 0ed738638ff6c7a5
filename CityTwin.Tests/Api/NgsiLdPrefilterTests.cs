using CityTwin.Domain.Assets;
using CityTwin.Tests.Support;
using CityTwin.Web.Data;
using CityTwin.Web.Features.JsonLd;
using CityTwin.Web.Features.NgsiLd;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Tests.Api;

/// <summary>
/// The database prefilters of Query Entities (q → SQLite JSON conditions, geo → R*Tree, type → index) only skip rows
/// that cannot match: on the demo city every query returns exactly what the entity-level evaluation alone returns.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NgsiLdPrefilterTests(CityTwinAppFactory app)
{
    private async Task<(List<string> Prefiltered, List<string> Scanned)> BothAsync(string? type, string? q, NgsiGeoQuery? geo)
    {
        var store = app.Services.GetRequiredService<NgsiEntityStore>();
        var context = app.Services.GetRequiredService<ContextResolver>().CityTwinDefault;
        var query = q is null ? null : NgsiQuery.Parse(q, context);
        var types = type is null ? null : new HashSet<string>([AssetTypeCatalog.Get(type).Iri]);
        bool Matches(NgsiEntity e) => (query is null || query.Matches(e)) && (geo is null || geo.Matches(e));
        var (fast, total) = await store.QueryAsync(types, null, false, Matches, 0, int.MaxValue, CancellationToken.None, query, geo);
        var (slow, _) = await store.QueryAsync(types, null, false, Matches, 0, int.MaxValue, CancellationToken.None);
        Assert.Equal(fast.Count, total);
        return ([.. fast.Select(e => e.Id)], [.. slow.Select(e => e.Id)]);
    }

    [Theory]
    [InlineData("Streetlight", "powerRating>100")]
    [InlineData("Streetlight", "powerRating<=60;lanternHeight>=8")]
    [InlineData("Streetlight", "status==\"defectiveLamp\"|powerRating==150")]
    [InlineData("Streetlight", "lampTechnology")]
    [InlineData("Building", "floorsAboveGround>3")]
    [InlineData("WasteContainer", "fillingLevel>0.5")]
    [InlineData(null, "condition<=2")]
    [InlineData(null, "criticality==5;condition>=4")]
    [InlineData("Streetlight", "name==\"nothing has this name\"")]
    public async Task QueryPrefilter_ReturnsExactlyTheEntitiesTheQueryMatches(string? type, string q)
    {
        var (prefiltered, scanned) = await BothAsync(type, q, null);
        Assert.Equal(scanned, prefiltered);
    }

    [Fact]
    public async Task RelationshipEquality_FindsLinksOfCatalogueAssets()
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<CityTwinDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var target = await db.AssetLinks.Where(l => l.Iri.EndsWith("refStreetlightGroup")).Select(l => l.TargetId).FirstAsync();
        var (prefiltered, scanned) = await BothAsync("Streetlight", $"refStreetlightGroup==\"{target}\"", null);
        Assert.NotEmpty(scanned);
        Assert.Equal(scanned, prefiltered);
    }

    [Theory]
    [InlineData("within", "Polygon", "[[[4.30,50.80],[4.40,50.80],[4.40,50.90],[4.30,50.90],[4.30,50.80]]]")]
    [InlineData("near;maxDistance==800", "Point", "[4.35,50.85]")]
    [InlineData("intersects", "Polygon", "[[[4.34,50.84],[4.36,50.84],[4.36,50.86],[4.34,50.86],[4.34,50.84]]]")]
    public async Task GeoPrefilter_ReturnsExactlyTheEntitiesTheGeoQueryMatches(string georel, string geometry, string coordinates)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<CityTwinDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        // Centre the query on the demo city, wherever its generator puts it.
        var centre = await db.Assets.Where(a => a.MinLon != null).OrderBy(a => a.Seq).Select(a => new { a.MinLon, a.MinLat }).FirstAsync();
        var (dx, dy) = (centre.MinLon!.Value - 4.35, centre.MinLat!.Value - 50.85);
        var moved = System.Text.RegularExpressions.Regex.Replace(coordinates, @"\[(-?[\d.]+),(-?[\d.]+)\]", m =>
            FormattableString.Invariant($"[{double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + dx},{double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) + dy}]"));
        var geo = NgsiGeoQuery.Parse(georel, geometry, moved, NgsiTerms.Location);
        Assert.NotNull(geo!.Bounds());
        var (prefiltered, scanned) = await BothAsync(null, null, geo);
        Assert.NotEmpty(scanned);
        Assert.Equal(scanned, prefiltered);
    }
}
