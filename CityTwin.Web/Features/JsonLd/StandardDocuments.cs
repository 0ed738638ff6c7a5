using System.Collections.Frozen;
using System.Reflection;

namespace CityTwin.Web.Features.JsonLd;

/// <summary>
/// The standard documents embedded in the app (see <c>Standards/README.md</c>): NGSI-LD core contexts, Smart Data
/// Models subject contexts and JSON Schemas, each under every URL it is published at, so nothing is downloaded.
/// </summary>
public static class StandardDocuments
{
    public const string CoreContextV19 = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld";

    private static readonly string[] SdmSubjects =
    [
        "Building", "Device", "Environment", "KeyPerformanceIndicator", "Parking", "ParksAndGardens", "PointOfInterest",
        "Streetlighting", "Transportation", "WasteManagement", "Weather",
    ];

    /// <summary>Context URL → embedded resource name.</summary>
    public static FrozenDictionary<string, string> Contexts { get; } = BuildContexts();

    /// <summary>Schema URL ($id and the other URLs models $ref it by) → embedded resource name.</summary>
    public static FrozenDictionary<string, string> Schemas { get; } = BuildSchemas();

    /// <summary>The Smart Data Models model names that have an embedded schema.</summary>
    public static IReadOnlyList<string> SchemaModels { get; } =
    [
        "AirQualityObserved", "Building", "Device", "EVChargingStation", "FlowerBed", "Garden", "KeyPerformanceIndicator",
        "NoiseLevelObserved", "OffStreetParking", "ParkingSpot", "PointOfInterest", "Streetlight", "StreetlightControlCabinet",
        "StreetlightGroup", "TrafficFlowObserved", "WasteContainer", "WeatherObserved",
    ];

    private static FrozenDictionary<string, string> BuildContexts()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var version in new[] { "v1.9", "v1.8", "v1.7", "v1.6" })
        {
            var file = version == "v1.9" ? "ngsi-ld-core-context-v1.9.jsonld" : "ngsi-ld-core-context-v1.8-era.scorpio-copy.jsonld";
            map[$"https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-{version}.jsonld"] = "Standards/ngsi-ld/" + file;
        }

        map["https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"] = "Standards/ngsi-ld/ngsi-ld-core-context-v1.8-era.scorpio-copy.jsonld";
        map["https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.4.jsonld"] = "Standards/ngsi-ld/ngsi-ld-core-context-v1.4.jsonld";
        map["https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.3.jsonld"] = "Standards/ngsi-ld/ngsi-ld-core-context-v1.3.jsonld";
        foreach (var subject in SdmSubjects)
        {
            var resource = $"Standards/sdm/contexts/{subject}.jsonld";
            map[$"https://raw.githubusercontent.com/smart-data-models/dataModel.{subject}/master/context.jsonld"] = resource;
            map[SdmContextUrl(subject)] = resource;
        }

        map["https://smartdatamodels.org/context.jsonld"] = "Standards/sdm/contexts/_global.jsonld";
        map["https://raw.githubusercontent.com/smart-data-models/data-models/master/context.jsonld"] = "Standards/sdm/contexts/_global.jsonld";
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<string, string> BuildSchemas()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["https://smart-data-models.github.io/data-models/common-schema.json"] = "Standards/sdm/schemas/common-schema.json",
            ["https://smart-data-models.github.io/dataModel.Device/device-schema.json"] = "Standards/sdm/schemas/device-schema.json",
            ["https://smart-data-models.github.io/dataModel.Weather/weather-schema.json"] = "Standards/sdm/schemas/weather-schema.json",
            ["https://smart-data-models.github.io/dataModel.Environment/Environment-schema.json"] = "Standards/sdm/schemas/Environment-schema.json",
            ["https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/Environment-schema.json"] = "Standards/sdm/schemas/Environment-schema.json",
        };
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The text of an embedded document.</summary>
    /// <summary>The published URL of a Smart Data Models subject's context (e.g. "Streetlighting"), served offline.</summary>
    public static string SdmContextUrl(string subject) => $"https://smart-data-models.github.io/dataModel.{subject}/context.jsonld";

    public static string Read(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded document '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The resource name of a model's schema.</summary>
    public static string SchemaResource(string model) => $"Standards/sdm/schemas/{model}.schema.json";
}
