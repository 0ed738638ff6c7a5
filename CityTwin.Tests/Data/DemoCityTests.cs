using System.Security.Cryptography;
using System.Text;
using CityTwin.Domain.Assets;
using CityTwin.Tests.Support;
using CityTwin.Web.Data;
using CityTwin.Web.Features.DemoCity;
using CityTwin.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CityTwin.Tests.Data;

public sealed class DemoCityTests
{
    private static readonly DateOnly Day = new(2026, 11, 27);

    private static string Fingerprint(DemoCityGenerator city)
    {
        var text = new StringBuilder();
        foreach (var asset in city.Assets())
        {
            var r = AssetMapper.ToRecord(asset);
            text.Append(r.Id).Append(r.Name).Append(r.Geometry).Append(r.Condition).Append(r.InstalledOn).Append(r.Attributes).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    [Fact]
    public void Generator_WithTheSameSeedAndDay_IsDeterministic()
    {
        Assert.Equal(Fingerprint(new DemoCityGenerator(42, Day)), Fingerprint(new DemoCityGenerator(42, Day)));
        Assert.NotEqual(Fingerprint(new DemoCityGenerator(42, Day)), Fingerprint(new DemoCityGenerator(43, Day)));
    }

    [Fact]
    public void Generator_AtScaleOne_MakesAbout10kAssetsOfAtLeastEightTypes()
    {
        var assets = new DemoCityGenerator(42, Day).Assets().ToList();

        Assert.InRange(assets.Count, 9_500, 10_500);
        Assert.True(assets.Select(a => a.Type.Name).Distinct().Count() >= 8);
        Assert.Equal(assets.Count, assets.Select(a => a.Id).Distinct().Count());
    }

    [Fact]
    public void Generator_PlacesAssetsInsideTheirDistrict_WithRealisticLifecycleData()
    {
        var city = new DemoCityGenerator(42, Day);
        var assets = city.Assets().ToList();
        var districts = city.Districts.ToDictionary(d => d.Code);

        var located = assets.Where(a => a.DistrictCode is not null && a.Geometry is not null).ToList();
        var inside = located.Count(a => districts[a.DistrictCode!].Contains(a.Geometry!.Anchor) || a.Type.Name == "Streetlight");
        Assert.True(inside >= located.Count * 0.97, $"{inside} of {located.Count} assets lie in their district");

        var withCondition = assets.Where(a => a.Condition is not null).ToList();
        Assert.True(withCondition.Count > assets.Count * 0.85);
        Assert.InRange(withCondition.Average(a => a.Condition!.Value), 2.8, 4.2);
        Assert.Contains(assets, a => a.Status == AssetStatus.Decommissioned);
        Assert.Contains(assets, a => a.InstalledOn is null);
        Assert.Contains(assets, a => a.Publication == PublicationClass.Internal);
        Assert.All(assets.Where(a => a.InspectedOn is not null), a => Assert.True(a.InspectedOn <= Day));
    }

    [Fact]
    public void Generator_Series_AreFiftySensorsWithPlausibleValues()
    {
        var city = new DemoCityGenerator(42, Day);
        var series = city.Series();
        Assert.Equal(50, series.Count);
        var noise = new Random(1);
        foreach (var s in series)
        {
            for (var h = 0; h < 24 * 14; h += 5)
            {
                var v = DemoCityGenerator.ValueAt(s, city.ObservationsEnd.AddHours(-h), noise);
                Assert.True(s.Quantity.IsPlausible(v), $"{s.Quantity.Code} = {v}");
            }
        }
    }

    [Fact]
    public async Task Seeder_WritesTheWholeCityIncludingTwoYearsOfHourlyObservations()
    {
        await using var db = await TestDatabase.CreateAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));
        var seeder = new DemoCitySeeder(db.Factory, Options.Create(new SeedOptions()), time, NullLogger<DemoCitySeeder>.Instance);

        var report = await seeder.SeedIfEmptyAsync();

        Assert.NotNull(report);
        Assert.Equal(50 * 730 * 24, report.Observations);
        await using var context = await db.Factory.CreateDbContextAsync();
        Assert.Equal(report.Assets, await context.Assets.CountAsync());
        Assert.Equal(report.Observations, await context.Observations.LongCountAsync());
        Assert.Equal(6, await context.Districts.CountAsync());
        Assert.Equal(12, await context.KpiDefinitions.CountAsync());
        Assert.True(await context.RenewalBudgets.CountAsync() > 100);
        Assert.Equal(report.Links, await context.AssetLinks.CountAsync());

        // Every stored asset reads back through the domain rules.
        var sample = await context.Assets.Include(a => a.Links).OrderBy(a => a.Seq).Take(500).ToListAsync();
        Assert.All(sample, r => AssetMapper.ToDomain(r));

        // A second run on a non-empty registry leaves it alone.
        Assert.Null(await seeder.SeedIfEmptyAsync());
    }
}
