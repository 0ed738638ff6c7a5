using CityTwin.Domain.Vocabulary;
using static CityTwin.Domain.Assets.AttributeDataType;

namespace CityTwin.Domain.Assets;

/// <summary>
/// The asset types CityTwin knows, aligned with Smart Data Models (names, IRIs and units from the SDM schemas and
/// contexts; units as UN/CEFACT common codes). Tree has no SDM model and uses CityTwin's own vocabulary.
/// </summary>
public static class AssetTypeCatalog
{
    private const string Lighting = "Streetlighting";

    private static AttributeDefinition Sdm(string subject, string term, AttributeDataType type, string label,
        string? unit = null, string? unitLabel = null, double? min = null, double? max = null,
        IReadOnlyList<string>? allowed = null, AttributeKind kind = AttributeKind.Property,
        PublicationClass publication = PublicationClass.Public, bool list = false) =>
        new(term, CityTwinTerms.Sdm(subject, term), type, label, kind, unit, unitLabel, min, max, allowed, publication, list);

    /// <summary>
    /// The "status" attribute Smart Data Models gives several types (lamp state, parking occupancy…): one NGSI-LD
    /// core IRI, type-specific values. Not the registry's lifecycle status.
    /// </summary>
    private static AttributeDefinition SdmStatus(string label, IReadOnlyList<string> allowed) =>
        new("status", CityTwinTerms.NgsiLdStatus, Text, label, AllowedValues: allowed);

    /// <summary>A term SDM does not define for this type: CityTwin's own vocabulary.</summary>
    private static AttributeDefinition Own(string term, AttributeDataType type, string label, string? unit = null,
        string? unitLabel = null, double? min = null, double? max = null, IReadOnlyList<string>? allowed = null) =>
        new(term, CityTwinTerms.Own(term), type, label, AttributeKind.Property, unit, unitLabel, min, max, allowed);

    /// <summary>A relationship to assets of <paramref name="target"/> (null: any asset).</summary>
    private static AttributeDefinition Rel(string subject, string term, string label, string? target, bool list = false) =>
        Sdm(subject, term, Text, label, kind: AttributeKind.Relationship, list: list) with { TargetType = target };

    public static readonly AssetType Streetlight = new("Streetlight", CityTwinTerms.Sdm(Lighting, "Streetlight"),
        "Street light", "Street lights", Lighting, AssetCategory.Lighting, 30,
    [
        Sdm(Lighting, "lanternHeight", Number, "Lantern height", "MTR", "m", 1, 40),
        Sdm(Lighting, "powerRating", Number, "Power rating", "WTT", "W", 1, 2000),
        Own("lampTechnology", Text, "Lamp technology", allowed: ["LED", "HPS", "MH", "CFL"]),
        Sdm(Lighting, "locationCategory", Text, "Location category",
            allowed: ["bridge", "centralIsland", "facade", "garden", "park", "parking", "pedestrianPath", "playground", "road", "sidewalk", "tunnel"]),
        Sdm(Lighting, "streetPoleNum", Text, "Pole number"),
        SdmStatus("Lamp status", ["ok", "defectiveLamp", "columnIssue", "brokenLantern"]),
        Rel(Lighting, "refStreetlightGroup", "Street light group", "StreetlightGroup"),
    ]);

    public static readonly AssetType StreetlightGroup = new("StreetlightGroup", CityTwinTerms.Sdm(Lighting, "StreetlightGroup"),
        "Street light group", "Street light groups", Lighting, AssetCategory.Lighting, 30,
    [
        Sdm(Lighting, "circuitId", Text, "Circuit", publication: PublicationClass.Internal),
        Sdm(Lighting, "switchingMode", Text, "Switching mode", allowed: ["night-ON", "night-OFF", "night-LOW", "always-ON", "day-ON", "day-OFF", "day-LOW"], list: true),
        Rel(Lighting, "refStreetlightControlCabinet", "Control cabinet", "StreetlightControlCabinet"),
    ]);

    public static readonly AssetType StreetlightControlCabinet = new("StreetlightControlCabinet",
        CityTwinTerms.Sdm(Lighting, "StreetlightControlCabinet"), "Control cabinet", "Control cabinets", Lighting,
        AssetCategory.Lighting, 25,
    [
        Sdm(Lighting, "maximumPowerAvailable", Number, "Maximum power available", "KWT", "kW", 0, 500),
        Sdm(Lighting, "workingMode", Text, "Working mode", allowed: ["automatic", "manual", "semiautomatic"]),
        Sdm(Lighting, "cupboardMadeOf", Text, "Cupboard material", allowed: ["concrete", "metal", "other", "plastic"]),
        Rel(Lighting, "refStreetlightGroup", "Street light groups", "StreetlightGroup", list: true),
    ])
    {
        // Electrical infrastructure: where the cabinets are and what they feed is for staff unless a curator publishes it.
        DefaultPublication = PublicationClass.Internal,
    };

    /// <summary>The Smart Data Models Building categories (OpenStreetMap building values).</summary>
    private static readonly string[] BuildingCategories =
    [
        "school", "office", "residential",
        "apartments", "bakehouse", "barn", "bridge", "bungalow", "bunker", "cathedral", "cabin", "carport", "cemetery", "chapel", "church", "civic",
        "commercial", "conservatory", "construction", "cowshed", "detached", "digester", "dormitory", "farm", "farm_auxiliary", "garage", "garages",
        "garbage_shed", "grandstand", "greenhouse", "hangar", "hospital", "hotel", "house", "houseboat", "hut", "industrial", "kindergarten", "kiosk",
        "mosque", "parking", "pavilion", "public", "retail", "riding_hall", "roof", "ruins", "service", "shed", "shrine", "stable", "stadium",
        "static_caravan", "sty", "synagogue", "temple", "terrace", "train_station", "transformer_tower", "transportation", "university", "warehouse",
        "water_tower",
    ];

    public static readonly AssetType Building = new("Building", CityTwinTerms.Sdm("Building", "Building"),
        "Building", "Buildings", "Building", AssetCategory.Buildings, 60,
    [
        Sdm("Building", "category", Text, "Category",
            allowed: BuildingCategories, list: true),
        Own("civicUse", Text, "Civic use",
            allowed: ["townhall", "library", "museum", "community_centre", "fire_station", "sports_hall", "depot", "school", "office"]),
        Sdm("Building", "floorsAboveGround", Integer, "Floors above ground", min: 0, max: 200),
        Sdm("Building", "peopleCapacity", Integer, "People capacity", min: 0, max: 100_000),
        Own("floorArea", Number, "Floor area", "MTK", "m²", 1, 1_000_000),
        Own("energyLabel", Text, "Energy label", allowed: ["A", "B", "C", "D", "E", "F", "G"]),
    ]);

    public static readonly AssetType WasteContainer = new("WasteContainer", CityTwinTerms.Sdm("WasteManagement", "WasteContainer"),
        "Waste container", "Waste containers", "WasteManagement", AssetCategory.Waste, 10,
    [
        Sdm("WasteManagement", "storedWasteKind", Text, "Waste kind",
            allowed: ["organic", "inorganic", "glass", "oil", "plastic", "metal", "paper", "batteries", "electronics", "hazardous", "other"]),
        Sdm("WasteManagement", "binCapacity", Number, "Capacity", "LTR", "L", 10, 10_000),
        Sdm("WasteManagement", "fillingLevel", Number, "Filling level", "C62", "(0–1)", 0, 1),
        Sdm("WasteManagement", "binColor", Text, "Colour"),
    ]);

    public static readonly AssetType ParkingSpot = new("ParkingSpot", CityTwinTerms.Sdm("Parking", "ParkingSpot"),
        "Parking spot", "Parking spots", "Parking", AssetCategory.Mobility, 20,
    [
        Sdm("Parking", "category", Text, "Category", allowed: ["onStreet", "offStreet"], list: true),
        Own("reservedFor", Text, "Reserved for", allowed: ["disabled", "electricCharging", "delivery"]),
        SdmStatus("Occupancy", ["free", "occupied", "closed", "unknown"]),
        Sdm("Parking", "width", Number, "Width", "MTR", "m", 1, 10),
        Sdm("Parking", "length", Number, "Length", "MTR", "m", 2, 30),
        Rel("Parking", "refParkingSite", "Parking site", "OffStreetParking"),
    ]);

    public static readonly AssetType OffStreetParking = new("OffStreetParking", CityTwinTerms.Sdm("Parking", "OffStreetParking"),
        "Car park", "Car parks", "Parking", AssetCategory.Mobility, 50,
    [
        Sdm("Parking", "totalSpotNumber", Integer, "Total spots", min: 1, max: 20_000),
        Sdm("Parking", "highestFloor", Integer, "Highest floor", min: -10, max: 50),
        Sdm("Parking", "maximumAllowedHeight", Number, "Maximum vehicle height", "MTR", "m", 1, 6),
        Sdm("Parking", "priceRatePerMinute", Number, "Price per minute", "EUR", "€", 0, 10),
    ]);

    public static readonly AssetType EVChargingStation = new("EVChargingStation", CityTwinTerms.Sdm("Transportation", "EVChargingStation"),
        "EV charging station", "EV charging stations", "Transportation", AssetCategory.Mobility, 12,
    [
        Sdm("Transportation", "capacity", Integer, "Vehicles at once", min: 1, max: 100),
        Sdm("Transportation", "allowedVehicleType", Text, "Vehicle type", allowed: ["bicycle", "bus", "car", "caravan", "motorcycle", "motorscooter", "truck"], list: true),
        Sdm("Transportation", "socketType", Text, "Socket type", list: true, allowed: ["Type2", "CCS/SAE", "CHAdeMO", "Schuko", "Tesla", "Caravan_Mains_Socket", "Dual_CHAdeMO", "Dual_J-1772", "Dual_Mennekes", "J-1772", "Mennekes", "Other", "Type3", "Wall_Euro"]),
        Own("chargingPower", Number, "Power per socket", "KWT", "kW", 1, 400),
        Sdm("Transportation", "operator", Text, "Operator"),
    ]);

    public static readonly AssetType PointOfInterest = new("PointOfInterest", CityTwinTerms.Sdm("PointOfInterest", "PointOfInterest"),
        "Point of interest", "Points of interest", "PointOfInterest", AssetCategory.Amenities, 25,
    [
        // SDM's PointOfInterest categories are open codes (e.g. "113"): free text, the demo uses words.
        Sdm("PointOfInterest", "category", Text, "Category", list: true),
        Sdm("PointOfInterest", "capacity", Integer, "Capacity", min: 0, max: 10_000),
    ]);

    public static readonly AssetType Garden = new("Garden", CityTwinTerms.Sdm("ParksAndGardens", "Garden"),
        "Park or garden", "Parks and gardens", "ParksAndGardens", AssetCategory.GreenSpace, 40,
    [
        Sdm("ParksAndGardens", "style", Text, "Style",
            allowed: ["chinese", "english", "french", "herb_garden", "japanese", "kitchen", "public", "rosarium", "zen"]),
        Own("area", Number, "Area", "MTK", "m²", 10, 10_000_000),
        Sdm("ParksAndGardens", "openingHours", Text, "Opening hours"),
    ]);

    public static readonly AssetType FlowerBed = new("FlowerBed", CityTwinTerms.Sdm("ParksAndGardens", "FlowerBed"),
        "Flower bed", "Flower beds", "ParksAndGardens", AssetCategory.GreenSpace, 8,
    [
        Sdm("ParksAndGardens", "width", Number, "Width", "MTR", "m", 0.2, 100),
        Sdm("ParksAndGardens", "depth", Number, "Depth", "MTR", "m", 0.2, 100),
        Sdm("ParksAndGardens", "dateLastWatering", Date, "Last watered"),
        Rel("ParksAndGardens", "refGarden", "Garden", "Garden"),
    ]);

    public static readonly AssetType Tree = new("Tree", CityTwinTerms.Own("Tree"),
        "Tree", "Trees", null, AssetCategory.GreenSpace, 80,
    [
        Own("species", Text, "Species (botanical name)"),
        Own("commonName", Text, "Common name"),
        Own("trunkDiameter", Number, "Trunk diameter (DBH)", "CMT", "cm", 0, 600),
        Own("treeHeight", Number, "Height", "MTR", "m", 0, 120),
        Own("plantingSite", Text, "Planting site", allowed: ["occupied", "vacant", "stump"]),
    ]);

    public static readonly AssetType Device = new("Device", CityTwinTerms.Sdm("Device", "Device"),
        "Sensor", "Sensors", "Device", AssetCategory.Sensors, 8,
    [
        Sdm("Device", "controlledProperty", Text, "Measures",
            allowed: ["airPollution", "noiseLevel", "trafficFlow", "temperature", "fillingLevel", "occupancy", "energy"], list: true),
        Sdm("Device", "serialNumber", Text, "Serial number", publication: PublicationClass.Internal),
        Sdm("Device", "batteryLevel", Number, "Battery level", "C62", "(0–1)", 0, 1),
        Sdm("Device", "firmwareVersion", Text, "Firmware version", publication: PublicationClass.Internal),
        Rel("Device", "controlledAsset", "Monitored assets", null, list: true),
    ]);

    public static IReadOnlyList<AssetType> All { get; } =
    [
        Streetlight, StreetlightGroup, StreetlightControlCabinet, Building, WasteContainer, ParkingSpot,
        OffStreetParking, EVChargingStation, PointOfInterest, Garden, FlowerBed, Tree, Device,
    ];

    private static readonly Dictionary<string, AssetType> ByKey = All
        .SelectMany(t => new[] { (t.Name, t), (t.Iri, t) })
        .ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);

    /// <summary>Finds a type by its short name or expanded IRI.</summary>
    public static AssetType? Find(string nameOrIri) => ByKey.GetValueOrDefault(nameOrIri);

    /// <summary>A catalogue type by name or IRI; an absolute IRI outside the catalogue is a generic type (ADR 0010).</summary>
    public static AssetType Get(string nameOrIri) =>
        Find(nameOrIri) ?? (IsIri(nameOrIri) ? AssetType.Generic(nameOrIri)
            : throw new DomainException("type", $"Unknown asset type '{nameOrIri}'. Known types: {string.Join(", ", All.Select(t => t.Name))}."));

    private static bool IsIri(string value) => value.Contains(':', StringComparison.Ordinal) && Uri.TryCreate(value, UriKind.Absolute, out _);
}
