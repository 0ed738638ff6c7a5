using CityTwin.Domain;
using CityTwin.Domain.Assets;
using CityTwin.Domain.Districts;
using CityTwin.Domain.Geography;

namespace CityTwin.Tests.Domain;

public sealed class GeographyTests
{
    private static readonly GeoPosition[] Square =
        [new(4.0, 50.0), new(4.1, 50.0), new(4.1, 50.1), new(4.0, 50.1), new(4.0, 50.0)];

    [Theory]
    [InlineData(181, 0)]
    [InlineData(0, 91)]
    [InlineData(double.NaN, 0)]
    [InlineData(0, double.PositiveInfinity)]
    public void Position_OutsideWgs84_IsRefused(double lon, double lat) =>
        Assert.Throws<DomainException>(() => new GeoPosition(lon, lat));

    [Fact]
    public void Polygon_NotClosed_IsRefused()
    {
        var ex = Assert.Throws<DomainException>(() => AssetGeometry.Polygon([Square.Take(4)]));
        Assert.Contains("closed", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at least four", Assert.Throws<DomainException>(() => AssetGeometry.Polygon([Square.Take(3)])).Message, StringComparison.Ordinal);
        Assert.Throws<DomainException>(() => AssetGeometry.Polygon([Square.Take(4).Append(new GeoPosition(4.05, 50.05))]));
    }

    [Fact]
    public void LineString_WithOnePosition_IsRefused() =>
        Assert.Throws<DomainException>(() => AssetGeometry.LineString([new GeoPosition(4, 50)]));

    [Fact]
    public void Polygon_Covers_InsideNotOutsideNorHole()
    {
        GeoPosition[] hole = [new(4.04, 50.04), new(4.06, 50.04), new(4.06, 50.06), new(4.04, 50.06), new(4.04, 50.04)];
        var polygon = AssetGeometry.Polygon([Square, hole]);

        Assert.True(polygon.Covers(new GeoPosition(4.02, 50.02)));
        Assert.False(polygon.Covers(new GeoPosition(4.05, 50.05)));
        Assert.False(polygon.Covers(new GeoPosition(4.2, 50.05)));
        Assert.Equal(new GeoBounds(4.0, 50.0, 4.1, 50.1), polygon.Bounds);
    }

    [Fact]
    public void Point_Bounds_AreThePointAndAnchorIsItself()
    {
        var p = AssetGeometry.Point(4.47, 50.9);
        Assert.Equal(new GeoBounds(4.47, 50.9, 4.47, 50.9), p.Bounds);
        Assert.Equal(new GeoPosition(4.47, 50.9), p.Anchor);
    }

    [Fact]
    public void Distance_BetweenTwoPointsInBrussels_IsAboutRight()
    {
        // Grand-Place to Atomium, about 4.95 km.
        var d = new GeoPosition(4.3525, 50.8467).DistanceTo(new GeoPosition(4.3416, 50.8949));
        Assert.InRange(d, 5_300, 5_450);
    }

    [Theory]
    [InlineData("4.4,50.8,4.5,50.9", true)]
    [InlineData("4.4, 50.8, 4.5, 50.9", true)]
    [InlineData("4.5,50.8,4.4,50.9", false)]
    [InlineData("1,2,3", false)]
    [InlineData("a,b,c,d", false)]
    [InlineData("4,200,5,201", false)]
    [InlineData(null, false)]
    public void GeoBounds_TryParse_AcceptsOnlyFourOrderedNumbers(string? text, bool ok)
    {
        Assert.Equal(ok, GeoBounds.TryParse(text, out _, out var error));
        Assert.Equal(ok, error is null);
    }

    [Fact]
    public void District_WithBadCodeOrNonPolygon_IsRefused()
    {
        var polygon = AssetGeometry.Polygon([Square]);
        Assert.Throws<DomainException>(() => new District("O T", "Old Town", polygon, 100));
        Assert.Throws<DomainException>(() => new District("OT", "Old Town", AssetGeometry.Point(4, 50), 100));
        Assert.Throws<DomainException>(() => new District("OT", "Old Town", polygon, -1));
        Assert.True(new District("OT", "Old Town", polygon, 10).Contains(new GeoPosition(4.05, 50.05)));
    }

    [Theory]
    [InlineData("urn:ngsi-ld:Streetlight:1", true)]
    [InlineData("https://example.org/assets/1", true)]
    [InlineData("not a uri", false)]
    [InlineData("relative/path", false)]
    [InlineData("", false)]
    [InlineData("urn:ngsi-ld:Thing:<script>", false)]
    public void AssetId_AcceptsOnlyAbsoluteUris(string value, bool valid) =>
        Assert.Equal(valid, AssetId.IsValid(value, out _));
}
