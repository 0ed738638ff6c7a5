using System.Globalization;
using System.Text;
using CityTwin.Web.Features.Import;

namespace CityTwin.Tests.Import;

public sealed class ImportValueTests
{
    [Theory]
    [InlineData("12,5", 12.5)]
    [InlineData("1.234,5", 1234.5)]
    [InlineData("1,234.5", 1234.5)]
    [InlineData(" 7 ", 7)]
    [InlineData("1'250.75", 1250.75)]
    public void Numbers_WithDecimalCommasAndSeparators(string text, double expected)
    {
        Assert.True(ImportValues.TryNumber(text, out var value));
        Assert.Equal(expected, value, 9);
    }

    [Theory]
    [InlineData("X", true)]
    [InlineData("ja", true)]
    [InlineData("no", false)]
    [InlineData("0", false)]
    public void Booleans_IncludingXFlags(string text, bool expected)
    {
        Assert.True(ImportValues.TryBoolean(text, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Dates_IsoAndEuropean()
    {
        Assert.True(ImportValues.TryDate("24.09.2020 00:00", out var d));
        Assert.Equal(new DateOnly(2020, 9, 24), d);
        Assert.True(ImportValues.TryDate("2021-03-29", out var iso));
        Assert.Equal(new DateOnly(2021, 3, 29), iso);
        Assert.False(ImportValues.TryDate("next tuesday", out _));
    }

    [Fact]
    public void Csv_Windows1252AndSemicolons_AreDetected()
    {
        var bytes = Encoding.GetEncoding("ISO-8859-1").GetBytes("name;höhe\n\"Zürich; Platz\";12,5\nGenève;3\n");
        var file = TabularFile.Read(ImportFormat.Csv, bytes);
        Assert.Equal(';', file.Delimiter);
        Assert.Contains("1252", file.EncodingName, StringComparison.Ordinal);
        Assert.Equal(["name", "höhe"], file.Columns);
        Assert.Equal("Zürich; Platz", file.Cell(file.Rows[0], "name"));
        Assert.Equal("12,5", file.Cell(file.Rows[0], "höhe"));
        Assert.Equal(3, file.Rows[1].Number); // spreadsheet line numbers: the header is line 1
    }

    [Fact]
    public void Csv_Utf8Bom_IsStripped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("id,name\n1,Ärger\n")).ToArray();
        var file = TabularFile.Read(ImportFormat.Csv, bytes);
        Assert.Equal("id", file.Columns[0]);
        Assert.Equal("UTF-8 with BOM", file.EncodingName);
        Assert.Equal("Ärger", file.Cell(file.Rows[0], "name"));
    }

    [Fact]
    public void Csv_BinaryOrDuplicateHeaders_AreRefused()
    {
        Assert.Throws<ImportFileException>(() => TabularFile.Read(ImportFormat.Csv, new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0xFF }));
        Assert.Throws<ImportFileException>(() => TabularFile.Read(ImportFormat.Csv, Encoding.UTF8.GetBytes("a,a\n1,2\n")));
    }

    [Fact]
    public void Csv_CellsAcrossArenaChunks_AndHugeCells_ReadBackExactly()
    {
        // 40,000 rows of ~60 characters cross several 1M-character chunks; one quoted cell is larger than a chunk.
        var text = new StringBuilder("key,name,note\n");
        for (var i = 0; i < 40_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"k{i},\"Name, number {i}\",note {i} {new string('x', 30)}\n");
        }

        var huge = new string('é', 1_500_000);
        text.Append(CultureInfo.InvariantCulture, $"big,\"{huge}\",\n");
        var file = TabularFile.Read(ImportFormat.Csv, Encoding.UTF8.GetBytes(text.ToString()));

        Assert.Equal(40_001, file.Rows.Count);
        Assert.Equal("Name, number 0", file.Cell(file.Rows[0], "name"));
        Assert.Equal($"note 39999 {new string('x', 30)}", file.Cell(file.Rows[39_999], "note"));
        Assert.Equal(huge, file.Cell(file.Rows[^1], "name"));
        Assert.Null(file.Cell(file.Rows[^1], "note"));
        Assert.Equal(40_002, file.Rows[^1].Number);
    }

    [Fact]
    public void Wkt_MultiPolygonInWebMercator_BecomesAWgs84MultiPolygon()
    {
        // Two squares of ~1 km in EPSG:3857 near Brussels, the first with a hole.
        const string wkt = "MULTIPOLYGON (((497000 6593000, 498000 6593000, 498000 6594000, 497000 6594000, 497000 6593000), " +
                           "(497400 6593400, 497600 6593400, 497600 6593600, 497400 6593400)), " +
                           "((499000 6593000, 500000 6593000, 500000 6594000, 499000 6593000)))";
        var geometry = ImportGeometry.ToWgs84(ImportGeometry.FromText(wkt), CityTwin.Web.Features.Geo.CoordinateSystems.ToWgs84("EPSG:3857"));

        Assert.Equal(CityTwin.Domain.Geography.GeometryKind.MultiPolygon, geometry.Kind);
        Assert.Equal([2, 1], geometry.PolygonRingCounts);
        Assert.InRange(geometry.Parts[0][0].Longitude, 4.4646, 4.4648);  // 497000 m / 6378137 m in degrees
        Assert.InRange(geometry.Bounds.South, 50.5, 51.0);
    }
}
