using CityTwin.Domain.Assets;
using CityTwin.Domain.Geography;
using CityTwin.Web.Data;

namespace CityTwin.Tests.Data;

public sealed class AssetMapperTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);

    internal static Asset Sample(string local = "m-1", string name = "Horse chestnut on Mill Lane")
    {
        var tree = Asset.Create(AssetId.For("Tree", local), AssetTypeCatalog.Tree, name, Now,
            new Provenance("test", Now, "tester", "row 7"));
        tree.SetLifecycle(new DateOnly(1990, 4, 1), 80, 1500m, 2, new DateOnly(2026, 11, 27));
        tree.RecordInspection(4, new DateOnly(2025, 5, 2), new DateOnly(2026, 11, 27));
        tree.SetAttribute("species", AttributeValue.OfText("Aesculus hippocastanum"));
        tree.SetAttribute("trunkDiameter", AttributeValue.OfNumber(42));
        tree.SetAttribute("https://example.org/ns/plaques", AttributeValue.OfInteger(2));
        tree.SetAttribute("https://example.org/ns/heritage", AttributeValue.OfBoolean(true));
        tree.SetAttribute("https://example.org/ns/lastPruned", AttributeValue.OfDate(new DateOnly(2024, 2, 3)));
        tree.SetAttribute("https://example.org/ns/survey", AttributeValue.OfJson("{\"by\":\"arborist\",\"score\":[1,2]}"));
        tree.Locate(AssetGeometry.Point(4.4712345, 50.9012345));
        tree.AssignTo("Parks & Green Spaces", "OT");
        tree.Describe("Planted for the 1990 fair.\nListed.", "12 Mill Lane, Riverford");
        tree.PublishAttribute("species", PublicationClass.Internal);
        tree.LinkTo("https://example.org/ns/nearTo", AssetId.For("Building", "b-1"));
        return tree;
    }

    [Fact]
    public void ToRecord_ThenToDomain_KeepsEveryField()
    {
        var tree = Sample();

        var back = AssetMapper.ToDomain(AssetMapper.ToRecord(tree));

        var a = tree.ToState();
        var b = back.ToState();
        Assert.Equal(a with { Attributes = null!, AttributePublication = null!, Relationships = null! },
            b with { Attributes = null!, AttributePublication = null!, Relationships = null! });
        Assert.Equal(a.Attributes, b.Attributes);
        Assert.Equal(a.AttributePublication, b.AttributePublication);
        Assert.Equal(a.Relationships, b.Relationships);
    }

    [Fact]
    public void Numbers_KeepTheirKind_ThroughJson()
    {
        var back = AssetMapper.ToDomain(AssetMapper.ToRecord(Sample()));
        Assert.Equal(AttributeDataType.Number, back.Attributes[AssetTypeCatalog.Tree.FindAttribute("trunkDiameter")!.Iri].Type);
        Assert.Equal(AttributeDataType.Integer, back.Attributes["https://example.org/ns/plaques"].Type);
    }

    [Fact]
    public void ToRecord_FillsBoundingBoxAndSearchText()
    {
        var record = AssetMapper.ToRecord(Sample());
        Assert.Equal(4.4712345, record.MinLon);
        Assert.Equal(record.MinLon, record.MaxLon);
        Assert.Contains("Aesculus hippocastanum", record.SearchText, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"Point\"", record.Geometry, StringComparison.Ordinal);
        Assert.Single(record.Links);
    }

    [Fact]
    public void GeoJson_RejectsUnsupportedAndMalformedGeometry()
    {
        Assert.Throws<CityTwin.Domain.DomainException>(() => GeoJson.Read("{\"type\":\"GeometryCollection\",\"coordinates\":[]}"));
        Assert.Throws<CityTwin.Domain.DomainException>(() => GeoJson.Read("{\"type\":\"Point\",\"coordinates\":[\"4\",50]}"));
        Assert.Throws<CityTwin.Domain.DomainException>(() => GeoJson.Read("{\"type\":\"Point\""));
        Assert.Throws<CityTwin.Domain.DomainException>(() => GeoJson.Read("{\"type\":\"Point\",\"coordinates\":[400,50]}"));
    }

    [Fact]
    public void GeoJson_MultiPointAndMultiLineString_RoundTrip_AndAreValidated()
    {
        var points = AssetGeometry.MultiPoint([new(4, 50), new(4.1, 50.05)]);
        var lines = AssetGeometry.MultiLineString([[new(4, 50), new(4.1, 50)], [new(4.2, 50.1), new(4.3, 50.1), new(4.3, 50.2)]]);
        Assert.Equal(points, GeoJson.Read(GeoJson.Write(points)));
        Assert.Equal(lines, GeoJson.Read(GeoJson.Write(lines)));
        Assert.Contains("\"MultiLineString\",\"coordinates\":[[[4,50],[4.1,50]],[[4.2,50.1]", GeoJson.Write(lines), StringComparison.Ordinal);
        Assert.Equal(new GeoBounds(4, 50, 4.3, 50.2), lines.Bounds);
        Assert.Throws<CityTwin.Domain.DomainException>(() => GeoJson.Read("{\"type\":\"MultiLineString\",\"coordinates\":[[[4,50]]]}"));
        Assert.Throws<CityTwin.Domain.DomainException>(() => GeoJson.Read("{\"type\":\"MultiPoint\",\"coordinates\":[]}"));
    }

    [Fact]
    public void MultiPolygon_RoundTrips_KeepsItsHoles_AndCoversEitherPart()
    {
        var west = new GeoPosition[][] { [new(4, 50), new(4.1, 50), new(4.1, 50.1), new(4, 50.1), new(4, 50)],
                                         [new(4.04, 50.04), new(4.06, 50.04), new(4.06, 50.06), new(4.04, 50.04)] };
        var east = new GeoPosition[][] { [new(4.2, 50), new(4.3, 50), new(4.3, 50.1), new(4.2, 50)] };
        var park = AssetGeometry.MultiPolygon([west, east]);

        Assert.Equal([2, 1], park.PolygonRingCounts);
        Assert.Equal(park, GeoJson.Read(GeoJson.Write(park)));
        Assert.StartsWith("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[4,50],", GeoJson.Write(park), StringComparison.Ordinal);
        Assert.True(park.Covers(new GeoPosition(4.02, 50.02)));   // west part
        Assert.False(park.Covers(new GeoPosition(4.05, 50.045))); // its hole
        Assert.True(park.Covers(new GeoPosition(4.28, 50.02)));   // east part
        Assert.False(park.Covers(new GeoPosition(4.15, 50.05)));  // between the parts
        Assert.Throws<CityTwin.Domain.DomainException>(() => GeoJson.Read("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[4,50],[4.1,50],[4,50]]]]}"));
    }

    [Fact]
    public void GeoJson_PolygonRoundTrips()
    {
        var polygon = AssetGeometry.Polygon([[new(4, 50), new(4.1, 50), new(4.1, 50.1), new(4, 50)]]);
        Assert.Equal(polygon, GeoJson.Read(GeoJson.Write(polygon)));
    }
}
