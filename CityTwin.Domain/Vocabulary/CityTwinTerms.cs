namespace CityTwin.Domain.Vocabulary;

/// <summary>
/// IRIs of CityTwin's own lifecycle vocabulary (served as a JSON-LD context by the app) and the Smart Data Models
/// namespaces the asset types come from. Storage keys are expanded IRIs (see docs/decisions/0003-vocabulary.md).
/// </summary>
public static class CityTwinTerms
{
    public const string Namespace = "https://w3id.org/citytwin/";
    public const string SdmNamespace = "https://smartdatamodels.org/";

    public const string Condition = Namespace + "condition";
    public const string InspectedOn = Namespace + "inspectedOn";
    public const string InstalledOn = Namespace + "installedOn";
    public const string ExpectedLifeYears = Namespace + "expectedServiceLife";
    public const string ReplacementCost = Namespace + "replacementCost";
    public const string Criticality = Namespace + "criticality";
    public const string Department = Namespace + "ownerDepartment";
    public const string District = Namespace + "district";
    public const string LifecycleStatus = Namespace + "lifecycleStatus";
    public const string PublicationClass = Namespace + "publicationClass";

    /// <summary>The IRI the Smart Data Models contexts give the term "status" (a type's operational state).</summary>
    public const string NgsiLdStatus = "https://uri.etsi.org/ngsi-ld/status";

    public static string Sdm(string subject, string term) => $"{SdmNamespace}dataModel.{subject}/{term}";

    public static string SdmCommon(string term) => SdmNamespace + term;

    public static string Own(string term) => Namespace + term;
}
