using Bunit;
using CityTwin.Domain.Geography;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Assets;
using CityTwin.Web.Features.Portal;

namespace CityTwin.Tests.Components;

public sealed class DistrictMapTests : ComponentTestContext
{
    private static DistrictSummary District(string code, string name, double west, int assets) => new(code, name, 1000, assets,
        GeoJson.Write(AssetGeometry.Polygon([[new(west, 50), new(west + 0.1, 50), new(west + 0.1, 50.1), new(west, 50.1), new(west, 50)]])));

    [Fact]
    public void Renders_OnePolygonAndLabelPerDistrict_WithTitleAndDescription()
    {
        var map = Render<DistrictMap>(p => p
            .Add(m => m.Districts, [District("A", "Alpha", 4.0, 1200), District("B", "Beta", 4.1, 7)])
            .Add(m => m.Title, "Districts map")
            .Add(m => m.Description, "Two districts"));

        Assert.Equal(2, map.FindAll("polygon").Count);
        Assert.Equal("Districts map", map.Find("title").TextContent);
        Assert.Equal("img", map.Find("svg").GetAttribute("role"));
        Assert.Contains("Alpha", map.Markup, StringComparison.Ordinal);
        Assert.Contains("1,200", map.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void DistrictNames_AreEncoded_NeverMarkup()
    {
        var map = Render<DistrictMap>(p => p
            .Add(m => m.Districts, [District("X", "<script>alert(1)</script>", 4.0, 1)])
            .Add(m => m.Title, "t")
            .Add(m => m.Description, "d"));

        Assert.Empty(map.FindAll("script"));
        Assert.Contains("&lt;script&gt;", map.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Polygons_StayInsideTheViewBox()
    {
        var map = Render<DistrictMap>(p => p
            .Add(m => m.Districts, [District("A", "Alpha", 4.0, 1), District("B", "Beta", 4.1, 1)])
            .Add(m => m.Title, "t").Add(m => m.Description, "d"));

        var coordinates = map.FindAll("polygon").SelectMany(p => p.GetAttribute("points")!.Split(' '))
            .Select(pair => pair.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        Assert.All(coordinates, c => { Assert.InRange(c[0], 0, 720); Assert.InRange(c[1], 0, 420); });
    }
}
