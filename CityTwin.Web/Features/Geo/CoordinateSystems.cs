using System.Collections.Frozen;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace CityTwin.Web.Features.Geo;

/// <summary>Transforms coordinates of one source CRS to WGS 84 longitude/latitude (the storage CRS).</summary>
public sealed class CrsTransform
{
    private readonly MathTransform? _math;

    internal CrsTransform(int epsg, string name, MathTransform? math)
    {
        Epsg = epsg;
        Name = name;
        _math = math;
    }

    public int Epsg { get; }

    public string Name { get; }

    /// <summary>True for geographic lon/lat input (nothing to transform).</summary>
    public bool IsWgs84 => _math is null;

    public (double Longitude, double Latitude) ToWgs84(double x, double y)
    {
        if (_math is null)
        {
            return (x, y);
        }

        _math.Transform(ref x, ref y);
        return (x, y);
    }
}

/// <summary>
/// The coordinate reference systems CityTwin can import from, by EPSG code (ProjNET with EPSG's WKT parameters):
/// WGS 84 / CRS84, Web Mercator, Swiss LV95 and LV03, UTM (WGS 84 and ETRS89), US State Plane California zone 5
/// (US feet), British National Grid, Lambert 93, Belgian Lambert 72, Dutch RD and ETRS89-LAEA. Unknown codes are
/// refused with the list of supported ones.
/// </summary>
public static partial class CoordinateSystems
{
    public const int Wgs84 = 4326;

    private static readonly CoordinateSystemFactory Factory = new();
    private static readonly CoordinateTransformationFactory Transformations = new();
    private static readonly ConcurrentDictionary<int, CrsTransform> Cache = new();

    private const string Bessel = "SPHEROID[\"Bessel 1841\",6377397.155,299.1528128]";
    private const string Degree = "PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]";

    private static readonly FrozenDictionary<int, (string Name, string? Wkt)> Known = BuildKnown();

    public static IReadOnlyCollection<int> Supported => Known.Keys;

    public static string Describe(int epsg) => Known.TryGetValue(epsg, out var k) ? $"EPSG:{epsg} {k.Name}" : $"EPSG:{epsg}";

    private static FrozenDictionary<int, (string Name, string? Wkt)> BuildKnown()
    {
        var known = new Dictionary<int, (string, string?)>
        {
            [4326] = ("WGS 84 (longitude, latitude)", null),
            [4258] = ("ETRS89 (longitude, latitude)", null),
            [4269] = ("NAD83 (longitude, latitude)", null),
            [3857] = ("WGS 84 / Pseudo-Mercator", ""),
            [2056] = ("CH1903+ / LV95", Swiss(2_600_000, 1_200_000, "CH1903+", "674.374,15.056,405.346,0,0,0,0")),
            [21781] = ("CH1903 / LV03", Swiss(600_000, 200_000, "CH1903", "674.4,15.1,405.3,0,0,0,0")),
            [2229] = ("NAD83 / California zone 5 (ftUS)",
                "PROJCS[\"NAD83 / California zone 5 (ftUS)\",GEOGCS[\"NAD83\",DATUM[\"North_American_Datum_1983\",SPHEROID[\"GRS 1980\",6378137,298.257222101],TOWGS84[0,0,0,0,0,0,0]]," + Degree + "]," +
                "PROJECTION[\"Lambert_Conformal_Conic_2SP\"],PARAMETER[\"standard_parallel_1\",35.46666666666667],PARAMETER[\"standard_parallel_2\",34.03333333333333]," +
                "PARAMETER[\"latitude_of_origin\",33.5],PARAMETER[\"central_meridian\",-118],PARAMETER[\"false_easting\",6561666.667],PARAMETER[\"false_northing\",1640416.667]," +
                "UNIT[\"US survey foot\",0.3048006096012192]]"),
            [27700] = ("OSGB36 / British National Grid",
                "PROJCS[\"OSGB 1936 / British National Grid\",GEOGCS[\"OSGB 1936\",DATUM[\"OSGB_1936\",SPHEROID[\"Airy 1830\",6377563.396,299.3249646],TOWGS84[446.448,-125.157,542.06,0.15,0.247,0.842,-20.489]]," + Degree + "]," +
                "PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",49],PARAMETER[\"central_meridian\",-2],PARAMETER[\"scale_factor\",0.9996012717]," +
                "PARAMETER[\"false_easting\",400000],PARAMETER[\"false_northing\",-100000],UNIT[\"metre\",1]]"),
            [2154] = ("RGF93 / Lambert-93",
                "PROJCS[\"RGF93 / Lambert-93\",GEOGCS[\"RGF93\",DATUM[\"Reseau_Geodesique_Francais_1993\",SPHEROID[\"GRS 1980\",6378137,298.257222101],TOWGS84[0,0,0,0,0,0,0]]," + Degree + "]," +
                "PROJECTION[\"Lambert_Conformal_Conic_2SP\"],PARAMETER[\"standard_parallel_1\",49],PARAMETER[\"standard_parallel_2\",44],PARAMETER[\"latitude_of_origin\",46.5]," +
                "PARAMETER[\"central_meridian\",3],PARAMETER[\"false_easting\",700000],PARAMETER[\"false_northing\",6600000],UNIT[\"metre\",1]]"),
            [31370] = ("Belge 1972 / Belgian Lambert 72",
                "PROJCS[\"Belge 1972 / Belgian Lambert 72\",GEOGCS[\"Belge 1972\",DATUM[\"Reseau_National_Belge_1972\",SPHEROID[\"International 1924\",6378388,297],TOWGS84[-106.8686,52.2978,-103.7239,0.3366,-0.457,1.8422,-1.2747]]," + Degree + "]," +
                "PROJECTION[\"Lambert_Conformal_Conic_2SP\"],PARAMETER[\"standard_parallel_1\",51.16666723333333],PARAMETER[\"standard_parallel_2\",49.8333339],PARAMETER[\"latitude_of_origin\",90]," +
                "PARAMETER[\"central_meridian\",4.367486666666666],PARAMETER[\"false_easting\",150000.013],PARAMETER[\"false_northing\",5400088.438],UNIT[\"metre\",1]]"),
            [28992] = ("Amersfoort / RD New",
                "PROJCS[\"Amersfoort / RD New\",GEOGCS[\"Amersfoort\",DATUM[\"Amersfoort\"," + Bessel + ",TOWGS84[565.4171,50.3319,465.5524,1.9342,-1.6677,9.1019,4.0725]]," + Degree + "]," +
                "PROJECTION[\"Oblique_Stereographic\"],PARAMETER[\"latitude_of_origin\",52.15616055555555],PARAMETER[\"central_meridian\",5.38763888888889],PARAMETER[\"scale_factor\",0.9999079]," +
                "PARAMETER[\"false_easting\",155000],PARAMETER[\"false_northing\",463000],UNIT[\"metre\",1]]"),
            [3035] = ("ETRS89-extended / LAEA Europe",
                "PROJCS[\"ETRS89 / LAEA Europe\",GEOGCS[\"ETRS89\",DATUM[\"European_Terrestrial_Reference_System_1989\",SPHEROID[\"GRS 1980\",6378137,298.257222101],TOWGS84[0,0,0,0,0,0,0]]," + Degree + "]," +
                "PROJECTION[\"Lambert_Azimuthal_Equal_Area\"],PARAMETER[\"latitude_of_center\",52],PARAMETER[\"longitude_of_center\",10],PARAMETER[\"false_easting\",4321000],PARAMETER[\"false_northing\",3210000],UNIT[\"metre\",1]]"),
        };
        for (var zone = 1; zone <= 60; zone++)
        {
            known[32600 + zone] = ($"WGS 84 / UTM zone {zone}N", Utm("WGS 84", zone, north: true));
            known[32700 + zone] = ($"WGS 84 / UTM zone {zone}S", Utm("WGS 84", zone, north: false));
        }

        for (var zone = 28; zone <= 38; zone++)
        {
            known[25800 + zone] = ($"ETRS89 / UTM zone {zone}N", Utm("ETRS89", zone, north: true));
        }

        return known.ToFrozenDictionary();
    }

    private static string Swiss(double falseEasting, double falseNorthing, string datum, string towgs84) => Invariant(falseEasting, falseNorthing, (fe, fn) =>
        $"PROJCS[\"{datum}\",GEOGCS[\"{datum}\",DATUM[\"{datum}\",{Bessel},TOWGS84[{towgs84}]],{Degree}]," +
        "PROJECTION[\"Hotine_Oblique_Mercator_Azimuth_Center\"],PARAMETER[\"latitude_of_center\",46.95240555555556]," +
        "PARAMETER[\"longitude_of_center\",7.439583333333333],PARAMETER[\"azimuth\",90],PARAMETER[\"rectified_grid_angle\",90]," +
        $"PARAMETER[\"scale_factor\",1],PARAMETER[\"false_easting\",{fe}],PARAMETER[\"false_northing\",{fn}],UNIT[\"metre\",1]]");

    private static string Invariant(double a, double b, Func<string, string, string> build) =>
        build(a.ToString(CultureInfo.InvariantCulture), b.ToString(CultureInfo.InvariantCulture));

    private static string Utm(string datum, int zone, bool north) => Invariant((zone * 6) - 183, north ? 0 : 10_000_000, (meridian, fn) =>
        $"PROJCS[\"{datum} / UTM zone {zone}{(north ? "N" : "S")}\",GEOGCS[\"{datum}\",DATUM[\"{datum}\",SPHEROID[\"{(datum == "WGS 84" ? "WGS 84\",6378137,298.257223563" : "GRS 1980\",6378137,298.257222101")}],TOWGS84[0,0,0,0,0,0,0]],{Degree}]," +
        $"PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",{meridian}],PARAMETER[\"scale_factor\",0.9996]," +
        $"PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",{fn}],UNIT[\"metre\",1]]");

    /// <summary>
    /// Reads a CRS reference: <c>EPSG:2056</c>, <c>2056</c>, <c>urn:ogc:def:crs:EPSG::2056</c>,
    /// <c>http://www.opengis.net/def/crs/EPSG/0/2056</c>, or CRS84 in any of its spellings.
    /// </summary>
    public static bool TryParse(string? text, out int epsg)
    {
        epsg = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.EndsWith("CRS84", StringComparison.OrdinalIgnoreCase))
        {
            epsg = Wgs84;
            return true;
        }

        var match = CodePattern().Match(text);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out epsg);
    }

    [GeneratedRegex(@"^(?:EPSG:{1,2}|urn:ogc:def:crs:EPSG:[0-9.]*:|https?://www\.opengis\.net/def/crs/EPSG/[0-9.]+/)?([0-9]{4,5})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();

    /// <summary>The transform from a supported CRS to WGS 84; throws <see cref="UnknownCrsException"/> otherwise.</summary>
    public static CrsTransform ToWgs84(int epsg) => Cache.GetOrAdd(epsg, static code =>
    {
        if (!Known.TryGetValue(code, out var known))
        {
            throw new UnknownCrsException(code);
        }

        if (known.Wkt is null)
        {
            return new CrsTransform(code, known.Name, null);
        }

        var source = known.Wkt.Length == 0 ? ProjectedCoordinateSystem.WebMercator : (CoordinateSystem)Factory.CreateFromWkt(known.Wkt);
        var transform = Transformations.CreateFromCoordinateSystems(source, GeographicCoordinateSystem.WGS84);
        return new CrsTransform(code, known.Name, transform.MathTransform);
    });

    /// <summary>A transform for a CRS reference text (see <see cref="TryParse"/>).</summary>
    public static CrsTransform ToWgs84(string text) =>
        TryParse(text, out var epsg) ? ToWgs84(epsg) : throw new UnknownCrsException(text);
}

/// <summary>A CRS CityTwin cannot transform from.</summary>
public sealed class UnknownCrsException : Exception
{
    public UnknownCrsException(int epsg)
        : base($"EPSG:{epsg} is not a supported coordinate reference system. Supported: EPSG:4326/CRS84, 3857, 2056, 21781, 2229, 27700, 2154, 31370, 28992, 3035, UTM 326xx/327xx and 258xx.")
    {
    }

    public UnknownCrsException(string text)
        : base($"'{text}' is not a coordinate reference system CityTwin recognises; use an EPSG code such as EPSG:2056.")
    {
    }
}
