using CityTwin.Domain.Assets;
using CityTwin.Domain.History;
using CityTwin.Domain.Vocabulary;

namespace CityTwin.Web.Features.Registry;

/// <summary>Human labels for the field keys of the change log.</summary>
public static class FieldLabels
{
    private static readonly Dictionary<string, string> Lifecycle = new(StringComparer.Ordinal)
    {
        ["name"] = "Name", ["description"] = "Description", ["status"] = "Status", ["condition"] = "Condition",
        ["inspectedOn"] = "Inspected on", ["installedOn"] = "Installed on", ["expectedLifeYears"] = "Expected life (years)",
        ["replacementCost"] = "Replacement cost (€)", ["criticality"] = "Criticality", ["department"] = "Department",
        ["district"] = "District", ["address"] = "Address", ["geometry"] = "Location", ["publication"] = "Publication",
        ["deleted"] = "Deleted", ["created"] = "Created (initial values)",
        [CityTwinTerms.SdmCommon("description")] = "Description", [CityTwinTerms.SdmCommon("address")] = "Address",
        [CityTwinTerms.ReplacementCost] = "Replacement cost", [CityTwinTerms.Criticality] = "Criticality", [CityTwinTerms.Department] = "Department",
    };

    public static string Of(string field, AssetType? type = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (Lifecycle.TryGetValue(field, out var label))
        {
            return label;
        }

        if (field.StartsWith(AssetDiff.PublicationPrefix, StringComparison.Ordinal))
        {
            return "Publication of " + Of(field[AssetDiff.PublicationPrefix.Length..], type);
        }

        if (field.StartsWith(AssetDiff.RelationshipPrefix, StringComparison.Ordinal))
        {
            return Of(field[AssetDiff.RelationshipPrefix.Length..], type);
        }

        return (type?.FindAttribute(field) ?? AssetTypeCatalog.All.Select(t => t.FindAttribute(field)).FirstOrDefault(a => a is not null))?.Label ?? field;
    }
}
