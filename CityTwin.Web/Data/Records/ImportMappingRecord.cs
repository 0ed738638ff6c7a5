namespace CityTwin.Web.Data.Records;

/// <summary>A saved import mapping (JSON of <c>ImportMapping</c>), re-usable by name.</summary>
public sealed class ImportMappingRecord
{
    public string Name { get; set; } = "";
    public string Format { get; set; } = "";
    public string Json { get; set; } = "";
    public string UpdatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}
