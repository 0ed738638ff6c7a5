using CityTwin.Domain.Vocabulary;

namespace CityTwin.Domain.Observations;

/// <summary>A measured quantity: its SDM attribute term and IRI, unit (UN/CEFACT code) and plausible range.</summary>
public sealed record ObservedQuantity(string Code, string Iri, string Label, string UnitCode, string UnitLabel, string ObservedType, double Minimum, double Maximum)
{
    public static readonly ObservedQuantity No2 = new("NO2", CityTwinTerms.Sdm("Environment", "NO2"), "Nitrogen dioxide", "GQ", "µg/m³", "AirQualityObserved", 0, 1000);
    public static readonly ObservedQuantity Pm10 = new("PM10", CityTwinTerms.Sdm("Environment", "PM10"), "Particulate matter PM10", "GQ", "µg/m³", "AirQualityObserved", 0, 1000);
    public static readonly ObservedQuantity Pm25 = new("PM2.5", CityTwinTerms.Sdm("Environment", "PM2.5"), "Particulate matter PM2.5", "GQ", "µg/m³", "AirQualityObserved", 0, 1000);
    public static readonly ObservedQuantity NoiseLAeq = new("LAeq", CityTwinTerms.Sdm("Environment", "LAeq"), "Noise level LAeq", "2N", "dB(A)", "NoiseLevelObserved", 0, 150);
    public static readonly ObservedQuantity TrafficIntensity = new("intensity", CityTwinTerms.Sdm("Transportation", "intensity"), "Vehicles per hour", "E50", "vehicles/h", "TrafficFlowObserved", 0, 20_000);
    public static readonly ObservedQuantity Temperature = new("temperature", CityTwinTerms.Sdm("Weather", "temperature"), "Air temperature", "CEL", "°C", "WeatherObserved", -60, 60);
    public static readonly ObservedQuantity FillingLevel = new("fillingLevel", CityTwinTerms.Sdm("WasteManagement", "fillingLevel"), "Container filling level", "C62", "(0–1)", "WasteContainer", 0, 1);
    public static readonly ObservedQuantity Occupancy = new("occupancy", CityTwinTerms.Sdm("Parking", "occupancy"), "Car park occupancy", "C62", "(0–1)", "OffStreetParking", 0, 1);
    public static readonly ObservedQuantity EnergyConsumed = new("energyConsumed", CityTwinTerms.Sdm("Streetlighting", "energyConsumed"), "Street-lighting energy", "KWH", "kWh", "StreetlightControlCabinet", 0, 10_000);
    public static readonly ObservedQuantity ChargerUtilisation = new("chargerUtilisation", CityTwinTerms.Own("chargerUtilisation"), "Charger utilisation", "C62", "(0–1)", "EVChargingStation", 0, 1);

    public static IReadOnlyList<ObservedQuantity> All { get; } =
        [No2, Pm10, Pm25, NoiseLAeq, TrafficIntensity, Temperature, FillingLevel, Occupancy, EnergyConsumed, ChargerUtilisation];

    public static ObservedQuantity? Find(string codeOrIri) => All.FirstOrDefault(q => q.Code == codeOrIri || q.Iri == codeOrIri);

    public bool IsPlausible(double value) => double.IsFinite(value) && value >= Minimum && value <= Maximum;
}
