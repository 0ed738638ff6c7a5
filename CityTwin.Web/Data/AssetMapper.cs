using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CityTwin.Domain.Assets;
using CityTwin.Web.Data.Records;

namespace CityTwin.Web.Data;

/// <summary>
/// The one mapping between the <see cref="Asset"/> aggregate and its persisted <see cref="AssetRecord"/>. EF Core,
/// bulk inserts (seeding, imports) and readers all go through here, so there is no second model.
/// </summary>
public static class AssetMapper
{
    public static AssetRecord ToRecord(Asset asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        var record = new AssetRecord();
        CopyTo(asset, record);
        return record;
    }

    /// <summary>Copies every column of the asset onto a (possibly tracked) record; the surrogate key is left alone.</summary>
    public static void CopyTo(Asset asset, AssetRecord r)
    {
        ArgumentNullException.ThrowIfNull(asset);
        ArgumentNullException.ThrowIfNull(r);
        r.Id = asset.Id.Value;
        r.Type = asset.Type.Name;
        r.TypeIri = asset.Type.Iri;
        r.Name = asset.Name;
        r.Description = asset.Description;
        r.Status = asset.Status.ToString();
        r.StatusBeforeDecommission = asset.StatusBeforeDecommission?.ToString();
        r.DecommissionedOn = asset.DecommissionedOn;
        r.Condition = asset.Condition;
        r.InspectedOn = asset.InspectedOn;
        r.InstalledOn = asset.InstalledOn;
        r.ExpectedLifeYears = asset.ExpectedLifeYears;
        r.ReplacementCost = asset.ReplacementCost is { } cost ? (double)cost : null;
        r.Criticality = asset.Criticality;
        r.Department = asset.Department;
        r.DistrictCode = asset.DistrictCode;
        r.Address = asset.Address;
        r.Geometry = asset.Geometry is { } g ? GeoJson.Write(g) : null;
        r.MinLon = asset.Geometry?.Bounds.West;
        r.MinLat = asset.Geometry?.Bounds.South;
        r.MaxLon = asset.Geometry?.Bounds.East;
        r.MaxLat = asset.Geometry?.Bounds.North;
        r.Publication = asset.Publication.ToString();
        r.Attributes = WriteAttributes(asset.Attributes);
        r.AttributePublication = WritePublication(asset.AttributePublication);
        r.SearchText = SearchTextOf(asset);
        r.SourceSystem = asset.Provenance?.SourceSystem;
        r.SourceReference = asset.Provenance?.SourceReference;
        r.RecordedAt = asset.Provenance?.RecordedAt;
        r.RecordedBy = asset.Provenance?.RecordedBy;
        r.Version = asset.Version;
        r.CreatedAt = asset.CreatedAt;
        r.ModifiedAt = asset.ModifiedAt;
        // Sync in place, so a tracked record keeps its unchanged link rows (EF would refuse two rows with one key).
        var wanted = asset.Relationships.Select(l => (l.Iri, Target: l.Target.Value)).ToHashSet();
        r.Links.RemoveAll(l => !wanted.Contains((l.Iri, l.TargetId)));
        foreach (var (iri, target) in wanted.Where(w => !r.Links.Any(l => l.Iri == w.Iri && l.TargetId == w.Target)))
        {
            r.Links.Add(new AssetLinkRecord { AssetId = asset.Id.Value, Iri = iri, TargetId = target });
        }
    }

    public static Asset ToDomain(AssetRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var type = AssetTypeCatalog.Get(r.Type);
        return Asset.FromState(new AssetState
        {
            Id = new AssetId(r.Id),
            TypeName = r.Type,
            Name = r.Name,
            Description = r.Description,
            Status = Enum.Parse<AssetStatus>(r.Status),
            StatusBeforeDecommission = r.StatusBeforeDecommission is null ? null : Enum.Parse<AssetStatus>(r.StatusBeforeDecommission),
            DecommissionedOn = r.DecommissionedOn,
            Condition = r.Condition,
            InspectedOn = r.InspectedOn,
            InstalledOn = r.InstalledOn,
            ExpectedLifeYears = r.ExpectedLifeYears,
            ReplacementCost = r.ReplacementCost is { } c ? (decimal)c : null,
            Criticality = r.Criticality,
            Department = r.Department,
            DistrictCode = r.DistrictCode,
            Address = r.Address,
            Geometry = r.Geometry is null ? null : GeoJson.Read(r.Geometry),
            Publication = Enum.Parse<PublicationClass>(r.Publication),
            Attributes = ReadAttributes(r.Attributes, type),
            AttributePublication = ReadPublication(r.AttributePublication),
            Relationships = [.. r.Links.Select(l => new AssetRelationship(l.Iri, new AssetId(l.TargetId)))],
            Provenance = r.SourceSystem is null ? null
                : new Provenance(r.SourceSystem, r.RecordedAt ?? r.CreatedAt, r.RecordedBy ?? "", r.SourceReference),
            Version = r.Version,
            CreatedAt = r.CreatedAt,
            ModifiedAt = r.ModifiedAt,
        });
    }

    public static string WriteAttributes(IReadOnlyDictionary<string, AttributeValue> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.Count == 0)
        {
            return "{}";
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (iri, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                if (value.Type == AttributeDataType.Ngsi)
                {
                    // A whole NGSI-LD attribute kept as given (ADR 0010).
                    w.WritePropertyName(iri);
                    w.WriteRawValue(value.Text!);
                    continue;
                }

                w.WriteStartObject(iri);
                w.WriteString("type", "Property");
                w.WritePropertyName("value");
                WriteValue(w, value);
                if (value.UnitCode is { } unit)
                {
                    w.WriteString("unitCode", unit);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes an attribute value as NGSI-LD JSON (numbers keep their kind; dates as typed literals).</summary>
    internal static void WriteValue(Utf8JsonWriter w, AttributeValue value)
    {
        switch (value.Type)
        {
            case AttributeDataType.Integer:
                w.WriteNumberValue((long)value.Number!.Value);
                break;
            case AttributeDataType.Number:
                var n = value.Number!.Value;
                // Keep "number" distinguishable from "integer" when read back: 3 is written 3.0.
                if (Math.Abs(n % 1) == 0 && Math.Abs(n) < 1e15)
                {
                    w.WriteRawValue(n.ToString("0.0", CultureInfo.InvariantCulture));
                }
                else
                {
                    w.WriteNumberValue(n);
                }

                break;
            case AttributeDataType.Boolean:
                w.WriteBooleanValue(value.Boolean!.Value);
                break;
            case AttributeDataType.Date or AttributeDataType.DateTime:
                w.WriteStartObject();
                w.WriteString("@type", value.Type.ToString());
                w.WriteString("@value", value.Text);
                w.WriteEndObject();
                break;
            case AttributeDataType.Json:
                w.WriteRawValue(value.Text!);
                break;
            default:
                w.WriteStringValue(value.Text);
                break;
        }
    }

    public static Dictionary<string, AttributeValue> ReadAttributes(string json, AssetType? type = null)
    {
        var result = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(json);
        foreach (var attribute in doc.RootElement.EnumerateObject())
        {
            if (!IsSimpleProperty(attribute.Value))
            {
                result[attribute.Name] = AttributeValue.OfNgsi(attribute.Value.GetRawText());
                continue;
            }

            var unit = attribute.Value.TryGetProperty("unitCode", out var u) ? u.GetString() : null;
            var v = attribute.Value.GetProperty("value");
            var defined = type?.FindAttribute(attribute.Name)?.DataType;
            result[attribute.Name] = v.ValueKind switch
            {
                JsonValueKind.Number when defined == AttributeDataType.Integer ||
                    (defined is null && !v.GetRawText().AsSpan().ContainsAny('.', 'e', 'E')) => AttributeValue.OfInteger(v.GetInt64(), unit),
                JsonValueKind.Number => AttributeValue.OfNumber(v.GetDouble(), unit),
                JsonValueKind.String => AttributeValue.OfText(v.GetString()!),
                JsonValueKind.True or JsonValueKind.False => AttributeValue.OfBoolean(v.GetBoolean()),
                JsonValueKind.Object when v.TryGetProperty("@type", out var t) && t.GetString() == "Date" =>
                    AttributeValue.OfDate(DateOnly.ParseExact(v.GetProperty("@value").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
                JsonValueKind.Object when v.TryGetProperty("@type", out var t) && t.GetString() == "DateTime" =>
                    AttributeValue.OfDateTime(DateTimeOffset.Parse(v.GetProperty("@value").GetString()!, CultureInfo.InvariantCulture)),
                _ => AttributeValue.OfJson(v.GetRawText()),
            };
        }

        return result;
    }

    /// <summary>A stored attribute the registry models as a typed value: a Property with a value and at most a unit code.</summary>
    private static bool IsSimpleProperty(JsonElement attribute)
    {
        if (attribute.ValueKind != JsonValueKind.Object || !attribute.TryGetProperty("value", out _) ||
            !attribute.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Property")
        {
            return false;
        }

        foreach (var member in attribute.EnumerateObject())
        {
            if (member.Name is not ("type" or "value" or "unitCode"))
            {
                return false;
            }
        }

        return true;
    }

    private static string WritePublication(IReadOnlyDictionary<string, PublicationClass> map) =>
        map.Count == 0 ? "{}" : JsonSerializer.Serialize(map.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value.ToString()));

    private static Dictionary<string, PublicationClass> ReadPublication(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json)!
            .ToDictionary(p => p.Key, p => Enum.Parse<PublicationClass>(p.Value), StringComparer.Ordinal);

    private static string SearchTextOf(Asset asset)
    {
        var words = new List<string> { asset.Type.Label };
        words.AddRange(asset.Attributes.Values.Where(v => v.Type == AttributeDataType.Text && v.Text is { Length: <= 200 }).Select(v => v.Text!));
        return string.Join(' ', words);
    }
}
