using CityTwin.Domain.Assets;
using CityTwin.Domain.Districts;
using CityTwin.Domain.Geography;
using CityTwin.Domain.Kpis;
using CityTwin.Domain.Observations;

namespace CityTwin.Web.Features.DemoCity;

/// <summary>A sensor's time series in the demo city: the device, what it measures and how its values behave.</summary>
public sealed record DemoSeries(int Index, AssetId DeviceId, ObservedQuantity Quantity, string DistrictCode, double Level);

/// <summary>
/// Builds the demo city "Riverford" deterministically: the same random seed, scale and reference day always give the
/// same districts, assets, sensors, observations, KPIs and budgets. Pure: no database, no clock (the caller passes
/// the day). At scale 1: 6 districts, ~9,900 assets of 13 types, 50 sensors with hourly observations.
/// </summary>
public sealed class DemoCityGenerator
{
    public const string CityName = "Riverford";
    public const string SourceSystem = "CityTwin demo city generator";

    private const double West = 4.41;
    private const double East = 4.53;
    private const double South = 50.87;
    private const double North = 50.93;

    private static readonly (string Code, string Name, int Population)[] DistrictNames =
    [
        ("WB", "Westbrook", 14_200), ("RS", "Riverside", 21_800), ("EF", "Eastfield", 17_600),
        ("NP", "North Park", 11_900), ("OT", "Old Town", 9_400), ("SQ", "Station Quarter", 16_300),
    ];

    private static readonly string[] StreetNames =
    [
        "Mill Lane", "Church Street", "Market Square", "Station Road", "Riverside Walk", "Oak Avenue", "Linden Street",
        "Harbour Road", "School Street", "Bridge Street", "Meadow Lane", "Canal Quay", "Park Avenue", "Victoria Road",
        "Kingsway", "Elm Grove", "Brewery Lane", "Orchard Road", "Castle Street", "Chapel Row", "Weavers Lane",
        "Fountain Place", "Hill Road", "Beech Crescent", "Willow Way", "Tanners Street", "Garden Terrace", "Abbey Road",
        "North Street", "South Street", "Wharf Road", "Cedar Close", "Poplar Drive", "Rope Walk", "Lock Street", "Forge Lane",
    ];

    private static readonly (string Botanical, string Common, double MaxHeight)[] TreeSpecies =
    [
        ("Platanus × acerifolia", "London plane", 30), ("Tilia cordata", "Small-leaved lime", 25),
        ("Acer platanoides", "Norway maple", 22), ("Quercus robur", "English oak", 30), ("Betula pendula", "Silver birch", 20),
        ("Aesculus hippocastanum", "Horse chestnut", 25), ("Prunus avium", "Wild cherry", 15), ("Carpinus betulus", "Hornbeam", 18),
        ("Ginkgo biloba", "Ginkgo", 20), ("Sorbus aucuparia", "Rowan", 12), ("Gleditsia triacanthos", "Honey locust", 20),
        ("Fraxinus excelsior", "Ash", 28),
    ];

    private readonly int _seed;
    private readonly DateOnly _today;
    private readonly DateTimeOffset _now;
    private readonly double _scale;
    private readonly List<District> _districts;

    public DemoCityGenerator(int seed, DateOnly today, double scale = 1.0)
    {
        _seed = seed;
        _today = today;
        _now = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        _scale = scale;
        _districts = BuildDistricts(new Random(seed));
    }

    public IReadOnlyList<District> Districts => _districts;

    /// <summary>Hourly observations end at midnight UTC of the reference day.</summary>
    public DateTimeOffset ObservationsEnd => _now;

    private int Count(int atScaleOne) => Math.Max(1, (int)Math.Round(atScaleOne * _scale));

    private static List<District> BuildDistricts(Random rng)
    {
        // A 3 × 2 grid of quadrilaterals whose inner corners are jittered; shared corners make them tile the city.
        var vertices = new GeoPosition[4, 3];
        for (var i = 0; i <= 3; i++)
        {
            for (var j = 0; j <= 2; j++)
            {
                var lon = West + (East - West) * i / 3;
                var lat = South + (North - South) * j / 2;
                if (i is > 0 and < 3)
                {
                    lon += (rng.NextDouble() - 0.5) * 0.012;
                }

                if (j == 1)
                {
                    lat += (rng.NextDouble() - 0.5) * 0.008;
                }

                vertices[i, j] = new GeoPosition(lon, lat);
            }
        }

        var districts = new List<District>();
        for (var j = 0; j < 2; j++)
        {
            for (var i = 0; i < 3; i++)
            {
                var (code, name, population) = DistrictNames[(j * 3) + i];
                GeoPosition[] ring = [vertices[i, j], vertices[i + 1, j], vertices[i + 1, j + 1], vertices[i, j + 1], vertices[i, j]];
                districts.Add(new District(code, name, AssetGeometry.Polygon([ring]), population));
            }
        }

        return districts;
    }

    public IEnumerable<Asset> Assets()
    {
        var rng = new Random(_seed + 1);
        var context = new GenerationContext(this, rng);
        return context.Generate();
    }

    public IReadOnlyList<DemoSeries> Series()
    {
        // Sensor plan at scale 1: 50 devices, one quantity each.
        (ObservedQuantity Quantity, int Count)[] plan =
        [
            (ObservedQuantity.No2, 5), (ObservedQuantity.Pm10, 4), (ObservedQuantity.Pm25, 3), (ObservedQuantity.NoiseLAeq, 6),
            (ObservedQuantity.TrafficIntensity, 8), (ObservedQuantity.Temperature, 4), (ObservedQuantity.FillingLevel, 8),
            (ObservedQuantity.Occupancy, 4), (ObservedQuantity.EnergyConsumed, 4), (ObservedQuantity.ChargerUtilisation, 4),
        ];
        var rng = new Random(_seed + 2);
        var result = new List<DemoSeries>();
        foreach (var (quantity, count) in plan)
        {
            for (var k = 0; k < Count(count); k++)
            {
                var index = result.Count;
                var district = _districts[(index * 7 + k) % _districts.Count];
                result.Add(new DemoSeries(index, DeviceId(index), quantity, district.Code, 0.75 + rng.NextDouble() * 0.5));
            }
        }

        return result;
    }

    internal static AssetId DeviceId(int index) => AssetId.For("Device", $"riverford-sensor-{index + 1:D4}");

    /// <summary>The value of a series at an hour: daily and seasonal cycles, a per-sensor level and noise.</summary>
    public static double ValueAt(DemoSeries series, DateTimeOffset hour, Random noise)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(noise);
        var h = hour.Hour;
        var dayOfYear = hour.DayOfYear;
        var winter = Math.Cos(2 * Math.PI * (dayOfYear - 15) / 365.25); // 1 mid-January, -1 mid-July
        var weekday = hour.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
        var rush = Math.Exp(-Math.Pow(h - 8, 2) / 3) + Math.Exp(-Math.Pow(h - 17.5, 2) / 4);
        var gauss = Gaussian(noise);
        var level = series.Level;
        var q = series.Quantity;
        double value;
        if (q == ObservedQuantity.No2)
        {
            value = level * (22 + 10 * winter + (weekday ? 28 : 12) * rush) + 6 * gauss;
        }
        else if (q == ObservedQuantity.Pm10)
        {
            var episode = (dayOfYear * 37 + series.Index * 11) % 29 == 0 ? 45 : 0;
            value = level * (19 + 9 * winter + 6 * rush + episode) + 5 * gauss;
        }
        else if (q == ObservedQuantity.Pm25)
        {
            value = level * (10 + 6 * winter + 3 * rush) + 3 * gauss;
        }
        else if (q == ObservedQuantity.NoiseLAeq)
        {
            var night = h is < 6 or >= 22;
            value = level * (night ? 47 : 60 + 6 * rush) + 2.5 * gauss;
        }
        else if (q == ObservedQuantity.TrafficIntensity)
        {
            var night = h is < 6 or >= 22;
            value = level * ((night ? 60 : 420) + (weekday ? 900 : 350) * rush) + 40 * gauss;
        }
        else if (q == ObservedQuantity.Temperature)
        {
            value = 10.5 - 8 * winter + 4 * Math.Sin(2 * Math.PI * (h - 9) / 24) + 1.8 * gauss;
        }
        else if (q == ObservedQuantity.FillingLevel)
        {
            // Emptied on Mondays and Thursdays at 06:00; fills faster at weekends.
            var hoursSinceEmptying = HoursSinceCollection(hour);
            value = Math.Min(1, hoursSinceEmptying * 0.0125 * level * (weekday ? 1 : 1.3)) + 0.01 * gauss;
        }
        else if (q == ObservedQuantity.Occupancy)
        {
            var open = h is >= 7 and < 20;
            value = level * (open ? 0.45 + 0.4 * Math.Exp(-Math.Pow(h - 13, 2) / 10) + (weekday ? 0 : 0.08) : 0.12) + 0.04 * gauss;
        }
        else if (q == ObservedQuantity.EnergyConsumed)
        {
            var darkHours = 12 + 4 * winter; // long nights in winter
            var dark = h >= 12 + darkHours / 2 || h < 12 - darkHours / 2;
            value = dark ? level * 38 * (1 + 0.02 * gauss) : 0;
        }
        else
        {
            value = level * (0.08 + 0.3 * rush + (h is >= 9 and < 18 ? 0.12 : 0)) + 0.04 * gauss;
        }

        return Math.Clamp(Math.Round(value, 2), q.Minimum, q.Maximum);
    }

    private static double HoursSinceCollection(DateTimeOffset hour)
    {
        for (var back = 0; back < 24 * 7; back++)
        {
            var t = hour.AddHours(-back);
            if (t.Hour == 6 && t.DayOfWeek is DayOfWeek.Monday or DayOfWeek.Thursday)
            {
                return back;
            }
        }

        return 24 * 7;
    }

    private static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public IReadOnlyList<KpiDefinition> Kpis() =>
    [
        new("condition-index", "Asset condition index", "Average condition grade of inspected assets, from 1 (very poor) to 5 (very good).", "grade", 3.5, KpiDirection.HigherIsBetter, KpiPeriod.Yearly, true, true, true),
        new("poor-condition-share", "Assets in poor condition", "Share of inspected assets graded 1 or 2.", "%", 10, KpiDirection.LowerIsBetter, KpiPeriod.Yearly, true, true, true),
        new("renewal-backlog", "Renewal backlog", "Replacement cost of assets past their expected service life.", "EUR", 5_000_000, KpiDirection.LowerIsBetter, KpiPeriod.Yearly, true, true, true),
        new("funding-gap", "Annual renewal funding gap", "Average yearly renewal need (replacement cost ÷ expected life) minus this year's renewal budget.", "EUR", 0, KpiDirection.LowerIsBetter, KpiPeriod.Yearly, true, false, true),
        new("lighting-energy", "Street-lighting energy", "Electricity used by street lighting over the last 12 months.", "MWh", 600, KpiDirection.LowerIsBetter, KpiPeriod.Monthly, true, true, false),
        new("led-share", "LED street lights", "Share of street lights with LED lamps.", "%", 80, KpiDirection.HigherIsBetter, KpiPeriod.Yearly, true, true, false),
        new("pm10-exceedance-days", "PM10 exceedance days", "Days in the last year with a daily mean PM10 above 50 µg/m³ (EU limit: at most 35 days; WHO guideline 45 µg/m³).", "days", 35, KpiDirection.LowerIsBetter, KpiPeriod.Yearly, true, true, false),
        new("no2-annual-mean", "NO₂ annual mean", "Annual mean nitrogen dioxide concentration (EU limit 40 µg/m³, WHO guideline 10 µg/m³).", "µg/m³", 40, KpiDirection.LowerIsBetter, KpiPeriod.Yearly, true, true, false),
        new("waste-overflows", "Waste container overflows", "Hours in the last month with a monitored container at least 95 % full.", "hours", 50, KpiDirection.LowerIsBetter, KpiPeriod.Monthly, true, true, false),
        new("parking-occupancy", "Car park occupancy", "Average occupancy of car parks during opening hours.", "%", 85, KpiDirection.LowerIsBetter, KpiPeriod.Monthly, true, true, false),
        new("ev-utilisation", "EV charger utilisation", "Average share of time chargers are in use.", "%", 25, KpiDirection.HigherIsBetter, KpiPeriod.Monthly, true, true, false),
        new("data-completeness", "Registry data completeness", "Share of assets with installation date, recent inspection, geometry and district.", "%", 95, KpiDirection.HigherIsBetter, KpiPeriod.Monthly, false, true, true),
    ];

    public IReadOnlyList<RenewalBudget> Budgets()
    {
        (string Type, decimal Amount)[] perType =
        [
            ("Streetlight", 420_000), ("Building", 2_400_000), ("Tree", 180_000), ("WasteContainer", 90_000),
            ("ParkingSpot", 40_000), ("EVChargingStation", 120_000), ("Garden", 150_000), ("PointOfInterest", 60_000),
        ];
        var budgets = new List<RenewalBudget>();
        for (var year = _today.Year - 2; year <= _today.Year + 20; year++)
        {
            var growth = (decimal)Math.Pow(1.02, year - _today.Year);
            budgets.AddRange(perType.Select(p => new RenewalBudget(year, p.Type, Math.Round(p.Amount * growth * (decimal)_scale, 0))));
        }

        return budgets;
    }

    /// <summary>Walks through the generation with one random stream, so the output is reproducible.</summary>
    private sealed class GenerationContext(DemoCityGenerator city, Random rng)
    {
        private readonly List<(AssetId Id, GeoPosition Where, string District)> _carParks = [];
        private readonly List<(AssetId Id, GeoPosition Where)> _gardens = [];
        private readonly List<AssetId> _cabinets = [];
        private readonly List<AssetId> _wasteContainers = [];
        private readonly List<AssetId> _evStations = [];
        // The demo records entered the registry a year ago, so "as of" views of recent days show them.
        private readonly DateTimeOffset _registeredAt = city._now.AddYears(-1);
        private readonly Provenance _provenance = new(SourceSystem, city._now.AddYears(-1), "seed");
        private int _serial;

        public IEnumerable<Asset> Generate()
        {
            for (var i = 0; i < city.Count(34); i++)
            {
                yield return Cabinet(i);
            }

            var groups = city.Count(100);
            for (var g = 0; g < groups; g++)
            {
                foreach (var asset in StreetlightGroup(g))
                {
                    yield return asset;
                }
            }

            for (var i = 0; i < city.Count(10); i++)
            {
                yield return CarPark(i);
            }

            for (var i = 0; i < city.Count(40); i++)
            {
                yield return Garden(i);
            }

            for (var i = 0; i < city.Count(150); i++)
            {
                yield return FlowerBed(i);
            }

            for (var i = 0; i < city.Count(2400); i++)
            {
                yield return Tree(i);
            }

            for (var i = 0; i < city.Count(1100); i++)
            {
                yield return WasteContainer(i);
            }

            for (var i = 0; i < city.Count(1300); i++)
            {
                yield return ParkingSpot(i);
            }

            for (var i = 0; i < city.Count(60); i++)
            {
                yield return EvStation(i);
            }

            for (var i = 0; i < city.Count(350); i++)
            {
                yield return Building(i);
            }

            for (var i = 0; i < city.Count(300); i++)
            {
                yield return PointOfInterest(i);
            }

            foreach (var series in city.Series())
            {
                yield return Device(series);
            }
        }

        private District RandomDistrict() => city._districts[rng.Next(city._districts.Count)];

        private GeoPosition PointIn(District district)
        {
            var b = district.Boundary.Bounds;
            for (var attempt = 0; ; attempt++)
            {
                var p = new GeoPosition(b.West + rng.NextDouble() * (b.East - b.West), b.South + rng.NextDouble() * (b.North - b.South));
                if (district.Contains(p) || attempt > 50)
                {
                    return district.Contains(p) ? p : district.Boundary.Anchor;
                }
            }
        }

        private string Street() => StreetNames[rng.Next(StreetNames.Length)];

        private string AddressOn(string street) => $"{rng.Next(1, 240)} {street}, {CityName}";

        private static string Pick(IReadOnlyList<string> values, Random r) => values[r.Next(values.Count)];

        private double PickNumber(IReadOnlyList<double> values) => values[rng.Next(values.Count)];

        private Asset NewAsset(AssetType type, string localId, string name, District district, AssetGeometry geometry, string department, string? address)
        {
            _serial++;
            var asset = Asset.Create(AssetId.For(type.Name, localId), type, name, _registeredAt, _provenance);
            asset.Locate(geometry);
            asset.AssignTo(department, district.Code);
            asset.Describe(null, address);
            ApplyLifecycle(asset, type);
            return asset;
        }

        private void ApplyLifecycle(Asset asset, AssetType type)
        {
            var life = Math.Max(3, (int)Math.Round(type.DefaultExpectedLifeYears * (0.8 + rng.NextDouble() * 0.4)));
            var roll = rng.NextDouble();
            var planned = roll < 0.01;
            if (planned)
            {
                asset.ChangeStatus(AssetStatus.Planned);
            }

            DateOnly? installed = null;
            if (planned)
            {
                installed = rng.NextDouble() < 0.5 ? city._today.AddDays(rng.Next(30, 700)) : null;
            }
            else if (rng.NextDouble() > 0.05)
            {
                var ageDays = (int)(rng.NextDouble() * life * 1.15 * 365.25);
                installed = city._today.AddDays(-ageDays);
            }

            var cost = CostOf(type);
            var criticality = Math.Clamp(BaseCriticality(type) + rng.Next(-1, 2), Asset.MinCriticality, Asset.MaxCriticality);
            asset.SetLifecycle(installed, life, cost, criticality, city._today);

            if (!planned && rng.NextDouble() > 0.04)
            {
                var wear = installed is { } i ? Math.Clamp((city._today.DayNumber - i.DayNumber) / (life * 365.25), 0, 1.5) : rng.NextDouble();
                var grade = (int)Math.Round(5.4 - 3.2 * wear + Gaussian(rng) * 0.6);
                var earliest = installed ?? city._today.AddYears(-8);
                var span = Math.Max(0, Math.Min(2200, city._today.DayNumber - earliest.DayNumber));
                var inspected = city._today.AddDays(-rng.Next(0, span + 1));
                asset.RecordInspection(Math.Clamp(grade, Asset.MinCondition, Asset.MaxCondition), inspected, city._today);
            }

            if (!planned)
            {
                var status = rng.NextDouble();
                if (status < 0.02)
                {
                    asset.ChangeStatus(AssetStatus.UnderMaintenance);
                }
                else if (status < 0.03)
                {
                    asset.ChangeStatus(AssetStatus.OutOfService);
                }
            }

            // Data-quality gaps a curator should find: a few assets without district.
            if (rng.NextDouble() < 0.01)
            {
                asset.AssignTo(asset.Department, null);
            }

            if (rng.NextDouble() < 0.005)
            {
                asset.Decommission(city._today.AddDays(-rng.Next(10, 900)));
            }
        }

        private decimal? CostOf(AssetType type)
        {
            (double Min, double Max) range = type.Name switch
            {
                "Streetlight" => (2_500, 4_500),
                "StreetlightGroup" => (0, 0),
                "StreetlightControlCabinet" => (8_000, 15_000),
                "Building" => (800_000, 12_000_000),
                "WasteContainer" => (600, 1_500),
                "ParkingSpot" => (900, 1_600),
                "OffStreetParking" => (2_000_000, 8_000_000),
                "EVChargingStation" => (15_000, 40_000),
                "PointOfInterest" => (2_000, 20_000),
                "Garden" => (100_000, 1_500_000),
                "FlowerBed" => (2_000, 10_000),
                "Tree" => (800, 2_400),
                _ => (1_500, 6_000),
            };
            return range.Max == 0 ? null : RoundToTen(range.Min + rng.NextDouble() * (range.Max - range.Min));
        }

        private static decimal RoundToTen(double value) => Math.Round((decimal)value / 10) * 10;

        private static int BaseCriticality(AssetType type) => type.Category switch
        {
            AssetCategory.Buildings => 4,
            AssetCategory.Lighting => 3,
            AssetCategory.Mobility => 3,
            AssetCategory.Sensors => 2,
            AssetCategory.GreenSpace => 2,
            _ => 2,
        };

        private Asset Cabinet(int i)
        {
            var district = city._districts[i % city._districts.Count];
            var where = PointIn(district);
            var street = Street();
            var asset = NewAsset(AssetTypeCatalog.StreetlightControlCabinet, $"riverford-cab-{i + 1:D3}", $"Cabinet C-{i + 1:D3} {street}",
                district, AssetGeometry.Point(where.Longitude, where.Latitude), "Public Lighting", AddressOn(street));
            TrySet(asset, "maximumPowerAvailable", AttributeValue.OfNumber(Math.Round(20 + rng.NextDouble() * 40, 1)));
            TrySet(asset, "workingMode", AttributeValue.OfText(rng.NextDouble() < 0.85 ? "automatic" : "semiautomatic"));
            TrySet(asset, "cupboardMadeOf", AttributeValue.OfText(Pick(["metal", "plastic", "concrete"], rng)));
            // The lighting circuits this cabinet feeds: group g is fed by cabinet g mod the number of cabinets.
            if (!asset.IsDecommissioned)
            {
                for (var g = i; g < city.Count(100); g += city.Count(34))
                {
                    asset.LinkTo("refStreetlightGroup", AssetId.For(AssetTypeCatalog.StreetlightGroup.Name, $"riverford-slg-{g + 1:D4}"));
                }
            }

            _cabinets.Add(asset.Id);
            return asset;
        }

        private IEnumerable<Asset> StreetlightGroup(int g)
        {
            var district = city._districts[g % city._districts.Count];
            var street = StreetNames[(g * 7 + rng.Next(3)) % StreetNames.Length];
            var start = PointIn(district);
            var angle = rng.NextDouble() * Math.PI;
            var count = Math.Max(10, (int)Math.Round(40 * (0.7 + rng.NextDouble() * 0.6)));
            const double spacingDeg = 0.00032; // ≈ 30 m
            var cosLat = Math.Cos(start.Latitude * Math.PI / 180);
            var group = NewAsset(AssetTypeCatalog.StreetlightGroup, $"riverford-slg-{g + 1:D4}", $"{street} lighting circuit {g + 1}",
                district, AssetGeometry.Point(start.Longitude, start.Latitude), "Public Lighting", $"{street}, {CityName}");
            TrySet(group, "circuitId", AttributeValue.OfText($"CIR-{g + 1:D4}"));
            TrySet(group, "switchingMode", AttributeValue.OfText(rng.NextDouble() < 0.7 ? "night-ON" : "night-LOW"));
            if (_cabinets.Count > 0 && !group.IsDecommissioned)
            {
                group.LinkTo("refStreetlightControlCabinet", _cabinets[g % _cabinets.Count]);
            }

            var ledShare = 0.45 + 0.1 * (g % 5);
            var lights = new List<Asset>(count);
            var previous = start;
            for (var k = 0; k < count; k++)
            {
                var lon = start.Longitude + Math.Cos(angle) * spacingDeg * k / cosLat;
                var lat = start.Latitude + Math.Sin(angle) * spacingDeg * k;
                var p = lon is > West and < East && lat is > South and < North ? new GeoPosition(lon, lat) : previous;
                previous = p;
                var number = lights.Count + 1;
                // A street runs on across a district border: each lamp belongs to the district it stands in (no random draw).
                var lampDistrict = district.Contains(p) ? district : city._districts.FirstOrDefault(d => d.Contains(p)) ?? district;
                var light = NewAsset(AssetTypeCatalog.Streetlight, $"riverford-sl-{g + 1:D4}-{number:D3}", $"Street light {street} {number}",
                    lampDistrict, AssetGeometry.Point(p.Longitude, p.Latitude), "Public Lighting", $"{number * 2} {street}, {CityName}");
                var led = rng.NextDouble() < ledShare;
                TrySet(light, "lampTechnology", AttributeValue.OfText(led ? "LED" : Pick(["HPS", "MH", "CFL"], rng)));
                TrySet(light, "powerRating", AttributeValue.OfNumber(led ? PickNumber([28, 36, 45, 60]) : PickNumber([70, 100, 150])));
                TrySet(light, "lanternHeight", AttributeValue.OfNumber(PickNumber([4, 6, 8, 10])));
                TrySet(light, "locationCategory", AttributeValue.OfText(Pick(["road", "road", "sidewalk", "pedestrianPath", "park", "parking"], rng)));
                TrySet(light, "streetPoleNum", AttributeValue.OfText($"P{g + 1:D4}-{number:D3}"));
                // Lamp state without a draw from the shared generator (keeps every other demo value as it was).
                TrySet(light, "status", AttributeValue.OfText(((g * 31) + number) % 97 == 0 ? "defectiveLamp" : ((g * 17) + number) % 211 == 0 ? "brokenLantern" : "ok"));
                if (!light.IsDecommissioned)
                {
                    light.LinkTo("refStreetlightGroup", group.Id);
                }

                lights.Add(light);
            }

            yield return group;
            foreach (var light in lights)
            {
                yield return light;
            }
        }

        private Asset CarPark(int i)
        {
            var district = city._districts[i % city._districts.Count];
            var where = PointIn(district);
            var street = Street();
            var asset = NewAsset(AssetTypeCatalog.OffStreetParking, $"riverford-carpark-{i + 1:D3}", $"{street} car park",
                district, AssetGeometry.Point(where.Longitude, where.Latitude), "Mobility", AddressOn(street));
            TrySet(asset, "totalSpotNumber", AttributeValue.OfInteger(rng.Next(80, 900)));
            TrySet(asset, "highestFloor", AttributeValue.OfInteger(rng.Next(0, 6)));
            TrySet(asset, "maximumAllowedHeight", AttributeValue.OfNumber(Math.Round(1.9 + rng.NextDouble() * 0.6, 1)));
            TrySet(asset, "priceRatePerMinute", AttributeValue.OfNumber(Math.Round(0.02 + rng.NextDouble() * 0.04, 3)));
            _carParks.Add((asset.Id, where, district.Code));
            return asset;
        }

        private Asset Garden(int i)
        {
            var district = city._districts[i % city._districts.Count];
            var c = PointIn(district);
            var (w, h) = (0.0008 + rng.NextDouble() * 0.0015, 0.0005 + rng.NextDouble() * 0.001);
            var polygon = Rectangle(c, w, h);
            var name = Pick(["Linden", "Willow", "Abbey", "Canal", "Orchard", "Mill", "Rose", "Chestnut", "Heron", "Meadow"], rng) + " " + Pick(["Park", "Gardens", "Green", "Square"], rng);
            var asset = NewAsset(AssetTypeCatalog.Garden, $"riverford-garden-{i + 1:D3}", name, district, polygon, "Parks & Green Spaces", $"{Street()}, {CityName}");
            TrySet(asset, "style", AttributeValue.OfText(Pick(["public", "public", "english", "french", "rosarium", "herb_garden"], rng)));
            TrySet(asset, "area", AttributeValue.OfNumber(Math.Round(w * h * 111_320 * 111_320 * 0.63)));
            TrySet(asset, "openingHours", AttributeValue.OfText(rng.NextDouble() < 0.6 ? "Mo-Su 00:00-24:00" : "Mo-Su 07:00-21:00"));
            _gardens.Add((asset.Id, c));
            return asset;
        }

        private static AssetGeometry Rectangle(GeoPosition c, double width, double height) => AssetGeometry.Polygon([[
            new GeoPosition(c.Longitude - width / 2, c.Latitude - height / 2), new GeoPosition(c.Longitude + width / 2, c.Latitude - height / 2),
            new GeoPosition(c.Longitude + width / 2, c.Latitude + height / 2), new GeoPosition(c.Longitude - width / 2, c.Latitude + height / 2),
            new GeoPosition(c.Longitude - width / 2, c.Latitude - height / 2),
        ]]);

        private Asset FlowerBed(int i)
        {
            var garden = _gardens.Count > 0 ? _gardens[i % _gardens.Count] : default;
            var district = city._districts.FirstOrDefault(d => d.Contains(garden.Where)) ?? RandomDistrict();
            var where = garden.Id == default ? PointIn(district)
                : new GeoPosition(garden.Where.Longitude + (rng.NextDouble() - 0.5) * 0.0008, garden.Where.Latitude + (rng.NextDouble() - 0.5) * 0.0005);
            var asset = NewAsset(AssetTypeCatalog.FlowerBed, $"riverford-flowerbed-{i + 1:D4}", $"Flower bed {i + 1}", district,
                AssetGeometry.Point(where.Longitude, where.Latitude), "Parks & Green Spaces", null);
            TrySet(asset, "width", AttributeValue.OfNumber(Math.Round(1 + rng.NextDouble() * 6, 1)));
            TrySet(asset, "depth", AttributeValue.OfNumber(Math.Round(1 + rng.NextDouble() * 4, 1)));
            TrySet(asset, "dateLastWatering", AttributeValue.OfDate(city._today.AddDays(-rng.Next(0, 20))));
            if (garden.Id != default && !asset.IsDecommissioned)
            {
                asset.LinkTo("refGarden", garden.Id);
            }

            return asset;
        }

        private Asset Tree(int i)
        {
            var district = RandomDistrict();
            var where = PointIn(district);
            var street = Street();
            var (botanical, common, maxHeight) = TreeSpecies[rng.Next(TreeSpecies.Length)];
            var vacant = rng.NextDouble() < 0.04;
            var asset = NewAsset(AssetTypeCatalog.Tree, $"riverford-tree-{i + 1:D5}", vacant ? $"Vacant planting site {street}" : $"{common} on {street}",
                district, AssetGeometry.Point(where.Longitude, where.Latitude), "Parks & Green Spaces", AddressOn(street));
            TrySet(asset, "plantingSite", AttributeValue.OfText(vacant ? "vacant" : "occupied"));
            if (!vacant)
            {
                TrySet(asset, "species", AttributeValue.OfText(botanical));
                TrySet(asset, "commonName", AttributeValue.OfText(common));
                var age = asset.AgeInYears(city._today) ?? 20;
                TrySet(asset, "trunkDiameter", AttributeValue.OfNumber(Math.Round(Math.Min(150, 5 + age * 1.1 * (0.7 + rng.NextDouble() * 0.6)))));
                TrySet(asset, "treeHeight", AttributeValue.OfNumber(Math.Round(Math.Min(maxHeight, 2 + age * 0.35 * (0.7 + rng.NextDouble() * 0.6)), 1)));
            }

            return asset;
        }

        private Asset WasteContainer(int i)
        {
            var district = RandomDistrict();
            var where = PointIn(district);
            var street = Street();
            var kind = Pick(["glass", "paper", "plastic", "organic", "inorganic", "inorganic"], rng);
            var asset = NewAsset(AssetTypeCatalog.WasteContainer, $"riverford-waste-{i + 1:D5}", $"{char.ToUpperInvariant(kind[0])}{kind[1..]} container {street}",
                district, AssetGeometry.Point(where.Longitude, where.Latitude), "Waste Management", AddressOn(street));
            TrySet(asset, "storedWasteKind", AttributeValue.OfText(kind));
            TrySet(asset, "binCapacity", AttributeValue.OfNumber(PickNumber([120, 240, 660, 1100, 3000])));
            TrySet(asset, "binColor", AttributeValue.OfText(kind switch { "glass" => "green", "paper" => "blue", "plastic" => "yellow", "organic" => "brown", _ => "grey" }));
            _wasteContainers.Add(asset.Id);
            return asset;
        }

        private Asset ParkingSpot(int i)
        {
            var district = RandomDistrict();
            var where = PointIn(district);
            var street = Street();
            var use = Pick(["general", "general", "general", "general", "disabled", "electricCharging", "delivery"], rng);
            var asset = NewAsset(AssetTypeCatalog.ParkingSpot, $"riverford-spot-{i + 1:D5}", $"Parking spot {street} {i + 1}",
                district, AssetGeometry.Point(where.Longitude, where.Latitude), "Mobility", AddressOn(street));
            TrySet(asset, "category", AttributeValue.OfText("onStreet"));
            if (use != "general")
            {
                TrySet(asset, "reservedFor", AttributeValue.OfText(use));
            }

            // The registry has no live occupancy for most spots (Smart Data Models requires the attribute).
            TrySet(asset, "status", AttributeValue.OfText("unknown"));
            TrySet(asset, "width", AttributeValue.OfNumber(use == "disabled" ? 3.5 : 2.5));
            TrySet(asset, "length", AttributeValue.OfNumber(use == "delivery" ? 12 : 5.5));
            var site = _carParks.Where(c => c.District == district.Code).Select(c => c.Id).FirstOrDefault();
            if (site != default && !asset.IsDecommissioned)
            {
                asset.LinkTo("refParkingSite", site);
            }

            return asset;
        }

        private Asset EvStation(int i)
        {
            var district = RandomDistrict();
            var where = PointIn(district);
            var street = Street();
            var asset = NewAsset(AssetTypeCatalog.EVChargingStation, $"riverford-ev-{i + 1:D3}", $"EV charger {street}",
                district, AssetGeometry.Point(where.Longitude, where.Latitude), "Mobility", AddressOn(street));
            var fast = rng.NextDouble() < 0.2;
            TrySet(asset, "capacity", AttributeValue.OfInteger(fast ? 2 : rng.Next(1, 5)));
            TrySet(asset, "socketType", AttributeValue.OfText(fast ? "CCS/SAE" : "Type2"));
            TrySet(asset, "allowedVehicleType", AttributeValue.OfText("car"));
            TrySet(asset, "chargingPower", AttributeValue.OfNumber(fast ? 150 : 22));
            TrySet(asset, "operator", AttributeValue.OfText(Pick(["Riverford Energy", "ChargeNet", "VoltPoint"], rng)));
            _evStations.Add(asset.Id);
            return asset;
        }

        private Asset Building(int i)
        {
            var district = RandomDistrict();
            var c = PointIn(district);
            var category = Pick(["school", "school", "office", "library", "sports_hall", "townhall", "fire_station", "community_centre", "depot", "museum", "residential", "residential"], rng);
            var street = Street();
            var name = category switch
            {
                "school" => $"{street.Split(' ')[0]} Primary School",
                "office" => $"Municipal offices {street}",
                "library" => $"{district.Name} Library",
                "sports_hall" => $"{district.Name} Sports Hall",
                "townhall" => i == 0 ? "Riverford Town Hall" : $"{district.Name} Civic Centre",
                "fire_station" => $"{district.Name} Fire Station",
                "community_centre" => $"{street.Split(' ')[0]} Community Centre",
                "depot" => $"Works depot {street}",
                "museum" => $"{CityName} {Pick(["City Museum", "Textile Museum", "Gallery"], rng)}",
                _ => $"Social housing {street} {rng.Next(1, 90)}",
            };
            var w = 0.0002 + rng.NextDouble() * 0.0005;
            var h = 0.00015 + rng.NextDouble() * 0.0003;
            var asset = NewAsset(AssetTypeCatalog.Building, $"riverford-building-{i + 1:D4}", name, district, Rectangle(c, w, h),
                "Property & Facilities", AddressOn(street));
            // Smart Data Models' building category is the OpenStreetMap building type; the civic use is CityTwin's own.
            TrySet(asset, "category", AttributeValue.OfText(category switch
            {
                "school" or "office" or "residential" => category,
                "depot" => "warehouse",
                _ => "civic",
            }));
            if (category != "residential")
            {
                TrySet(asset, "civicUse", AttributeValue.OfText(category));
            }

            var floors = category == "residential" ? rng.Next(3, 12) : rng.Next(1, 5);
            TrySet(asset, "floorsAboveGround", AttributeValue.OfInteger(floors));
            TrySet(asset, "floorArea", AttributeValue.OfNumber(Math.Round(w * h * 111_320 * 111_320 * 0.63 * floors)));
            TrySet(asset, "peopleCapacity", AttributeValue.OfInteger(rng.Next(20, 900)));
            TrySet(asset, "energyLabel", AttributeValue.OfText(Pick(["A", "B", "C", "C", "D", "D", "E", "F", "G"], rng)));
            if (category is "depot" or "residential" && !asset.IsDecommissioned)
            {
                asset.Publish(PublicationClass.Internal);
            }

            return asset;
        }

        private Asset PointOfInterest(int i)
        {
            var district = RandomDistrict();
            var where = PointIn(district);
            var street = Street();
            var category = Pick(["playground", "bench", "bench", "publicToilet", "drinkingFountain", "busShelter", "bikeRack", "monument", "viewpoint"], rng);
            var label = category switch
            {
                "publicToilet" => "Public toilet",
                "drinkingFountain" => "Drinking fountain",
                "busShelter" => "Bus shelter",
                "bikeRack" => "Bike rack",
                _ => char.ToUpperInvariant(category[0]) + category[1..],
            };
            var asset = NewAsset(AssetTypeCatalog.PointOfInterest, $"riverford-poi-{i + 1:D4}", $"{label} {street}", district,
                AssetGeometry.Point(where.Longitude, where.Latitude), "Public Space", AddressOn(street));
            TrySet(asset, "category", AttributeValue.OfText(category));
            if (category is "playground" or "bikeRack" or "bench")
            {
                TrySet(asset, "capacity", AttributeValue.OfInteger(category == "bench" ? 3 : rng.Next(8, 40)));
            }

            return asset;
        }

        private Asset Device(DemoSeries series)
        {
            var district = city._districts.First(d => d.Code == series.DistrictCode);
            var where = PointIn(district);
            var street = Street();
            var q = series.Quantity;
            var measures = q.ObservedType switch
            {
                "AirQualityObserved" => "airPollution",
                "NoiseLevelObserved" => "noiseLevel",
                "TrafficFlowObserved" => "trafficFlow",
                "WeatherObserved" => "temperature",
                "WasteContainer" => "fillingLevel",
                "OffStreetParking" => "occupancy",
                "StreetlightControlCabinet" => "energy",
                _ => "occupancy",
            };
            var asset = Asset.Create(series.DeviceId, AssetTypeCatalog.Device, $"{q.Label} sensor {series.Index + 1} ({district.Name})", _registeredAt, _provenance);
            asset.Locate(AssetGeometry.Point(where.Longitude, where.Latitude));
            asset.AssignTo("Smart City Office", district.Code);
            asset.Describe($"Measures {q.Label.ToLowerInvariant()} in {q.UnitLabel}, hourly.", AddressOn(street));
            asset.SetLifecycle(city._today.AddDays(-rng.Next(800, 2500)), 8, RoundToTen(1_500 + rng.NextDouble() * 4_500), 2, city._today);
            asset.RecordInspection(rng.Next(3, 6), city._today.AddDays(-rng.Next(0, 500)), city._today);
            TrySet(asset, "controlledProperty", AttributeValue.OfText(measures));
            TrySet(asset, "serialNumber", AttributeValue.OfText($"RF-{series.Index + 1:D4}-{rng.Next(100_000, 999_999)}"));
            TrySet(asset, "batteryLevel", AttributeValue.OfNumber(Math.Round(0.3 + rng.NextDouble() * 0.7, 2)));
            TrySet(asset, "firmwareVersion", AttributeValue.OfText($"2.{rng.Next(0, 9)}.{rng.Next(0, 20)}"));
            var monitored = q.ObservedType switch
            {
                "WasteContainer" when _wasteContainers.Count > 0 => _wasteContainers[series.Index * 37 % _wasteContainers.Count],
                "OffStreetParking" when _carParks.Count > 0 => _carParks[series.Index % _carParks.Count].Id,
                "StreetlightControlCabinet" when _cabinets.Count > 0 => _cabinets[series.Index % _cabinets.Count],
                "EVChargingStation" when _evStations.Count > 0 => _evStations[series.Index * 7 % _evStations.Count],
                _ => default,
            };
            if (monitored != default)
            {
                asset.LinkTo("controlledAsset", monitored);
            }

            if (series.Index % 3 == 0)
            {
                asset.Publish(PublicationClass.Internal);
            }

            return asset;
        }

        private static void TrySet(Asset asset, string term, AttributeValue value)
        {
            if (!asset.IsDecommissioned)
            {
                asset.SetAttribute(term, value);
            }
        }
    }
}
