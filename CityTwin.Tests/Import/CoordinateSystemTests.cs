using CityTwin.Web.Features.Geo;
using CityTwin.Web.Features.Import;

namespace CityTwin.Tests.Import;

public sealed class CoordinateSystemTests
{
    [Theory]
    [InlineData(2600000, 1200000, 46.9510828, 7.4386324)]
    [InlineData(2682863.8, 1246295.9, 47.3622987, 8.5355716)]
    [InlineData(2678077.0, 1242330.9, 47.3272237, 8.4715209)]
    public void Lv95_ControlPoints_WithinAMetre(double e, double n, double lat, double lon)
    {
        var (x, y) = CoordinateSystems.ToWgs84("EPSG:2056").ToWgs84(e, n);
        Assert.InRange(x, lon - 1e-5, lon + 1e-5);
        Assert.InRange(y, lat - 1e-5, lat + 1e-5);
    }

    [Fact]
    public void CaliforniaZone5_FalseOriginIsTheProjectionOrigin_InUsFeet()
    {
        var (lon, lat) = CoordinateSystems.ToWgs84(2229).ToWgs84(6561666.667, 1640416.667);
        Assert.InRange(lon, -118.00001, -117.99999);
        Assert.InRange(lat, 33.49999, 33.50001);
        // 10,000 ftUS north of the origin is 3,048 m ≈ 0.02749° of latitude
        var (_, north) = CoordinateSystems.ToWgs84(2229).ToWgs84(6561666.667, 1650416.667);
        Assert.InRange(north - lat, 0.0273, 0.0277);
    }

    [Fact]
    public void WebMercator_KnownPoint()
    {
        var (lon, lat) = CoordinateSystems.ToWgs84(3857).ToWgs84(20037508.342789244, 0);
        Assert.InRange(lon, 179.99999, 180.00001);
        Assert.InRange(lat, -1e-6, 1e-6);
        var (_, lat45) = CoordinateSystems.ToWgs84(3857).ToWgs84(0, 5621521.486192066);
        Assert.InRange(lat45, 44.99999, 45.00001);
    }

    [Theory]
    [InlineData("EPSG:2056", 2056)]
    [InlineData("epsg:2056", 2056)]
    [InlineData("urn:ogc:def:crs:EPSG::2056", 2056)]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/2229", 2229)]
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS84", 4326)]
    [InlineData("3857", 3857)]
    public void Parse_AcceptsTheCommonSpellings(string text, int expected)
    {
        Assert.True(CoordinateSystems.TryParse(text, out var epsg));
        Assert.Equal(expected, epsg);
    }

    [Fact]
    public void UnknownCrs_IsRefusedWithTheSupportedList()
    {
        var e = Assert.Throws<UnknownCrsException>(() => CoordinateSystems.ToWgs84("EPSG:9999"));
        Assert.Contains("EPSG:9999", e.Message, StringComparison.Ordinal);
        Assert.Contains("2056", e.Message, StringComparison.Ordinal);
        Assert.Throws<UnknownCrsException>(() => CoordinateSystems.ToWgs84("not a crs"));
    }

    [Fact]
    public void ProjectedCoordinatesDeclaredAsWgs84_AreRefused()
    {
        var e = Assert.Throws<FormatException>(() => ImportGeometry.ToWgs84(ImportGeometry.FromXY(2682863.8, 1246295.9), CoordinateSystems.ToWgs84(4326)));
        Assert.Contains("projected", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wkt_PointZ_IsRead()
    {
        var raw = ImportGeometry.FromWkt("POINT Z (2682863.8 1246295.9 0)");
        Assert.Equal((2682863.8, 1246295.9), raw.First);
        Assert.Throws<FormatException>(() => ImportGeometry.FromWkt("POINT (1 2"));
    }
}
