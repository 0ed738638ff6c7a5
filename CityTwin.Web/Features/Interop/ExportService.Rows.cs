using System.Globalization;
using System.Text;
using System.Text.Json;
using CityTwin.Domain.Assets;

namespace CityTwin.Web.Features.Interop;

/// <summary>Per-row helpers shared by the writers: visibility, the stored attribute document, pre-encoded names.</summary>
public sealed partial class ExportService
{
    /// <summary>The IRIs of the lifecycle fields a curator can classify (<see cref="Asset.ClassifiedLifecycle"/>), read once.</summary>
    private static class LifecycleIri
    {
        public static readonly string Description = CityTwinContext.Lifecycle["description"];
        public static readonly string Address = CityTwinContext.Lifecycle["address"];
        public static readonly string ReplacementCost = CityTwinContext.Lifecycle["replacementCost"];
        public static readonly string Criticality = CityTwinContext.Lifecycle["criticality"];
        public static readonly string Department = CityTwinContext.Lifecycle["ownerDepartment"];
    }

    /// <summary>Who may see which attribute of one row: its own class, else its definition's default, never more public than the asset.</summary>
    private readonly struct Visibility(ExportRow row, bool publicOnly)
    {
        private readonly AssetType? _type = publicOnly ? AssetTypeCatalog.Find(row.Type) : null;
        private readonly Dictionary<string, string>? _overrides = publicOnly && row.AttributePublication is not ("{}" or "")
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(row.AttributePublication)
            : null;

        public bool PublicOnly => publicOnly;

        public bool Visible(string iri)
        {
            if (!publicOnly)
            {
                return true;
            }

            var own = _overrides is not null && _overrides.TryGetValue(iri, out var p) ? Enum.Parse<PublicationClass>(p)
                : Asset.DefaultPublicationOf(_type, iri);
            return own == PublicationClass.Public && row.Publication == nameof(PublicationClass.Public);
        }
    }

    /// <summary>
    /// The stored attribute document of one row (IRI → normalized attribute) as UTF-8, walked with a
    /// <see cref="Utf8JsonReader"/> and copied as raw JSON: no document object per row.
    /// </summary>
    private sealed class StoredJson
    {
        private ReadOnlyMemory<byte> _json;
        private readonly System.Buffers.ArrayBufferWriter<byte> _scratch = new(1024);

        /// <summary>Attribute IRIs, their export names and list flags, per export: no string or lookup per attribute and row.</summary>
        public AttributeNames Names { get; } = new();

        public void Load(ReadOnlyMemory<byte> json) => _json = json;

        private ReadOnlySpan<byte> Json => _json.Span;

        /// <summary>
        /// Each visible attribute as a property: the whole normalized object, or only its value. With a
        /// <paramref name="type"/> (NGSI-LD exports) names follow <see cref="NameFor"/> and list attributes are arrays.
        /// </summary>
        public void WriteAttributes(Utf8JsonWriter w, Visibility visibility, bool valuesOnly, AssetType? type)
        {
            var json = Json;
            var reader = new Utf8JsonReader(json);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var iri = Names.Iri(ref reader);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                if (!visibility.Visible(iri) || NgsiLd.NgsiEntityStore.IsReserved(iri))
                {
                    reader.Skip();
                    continue;
                }

                var (name, list) = Names.Of(iri, type);
                w.WritePropertyName(name);
                if (valuesOnly)
                {
                    WriteValue(w, ValueOf(ref reader, json), list);
                }
                else if (list)
                {
                    // Copy the normalized attribute member by member, its value as a one-element array.
                    w.WriteStartObject();
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        w.WritePropertyName(reader.ValueSpan);
                        var isValue = reader.ValueTextEquals("value"u8);
                        reader.Read();
                        var from = (int)reader.TokenStartIndex;
                        reader.Skip();
                        WriteValue(w, json[from..(int)reader.BytesConsumed], isValue);
                    }

                    w.WriteEndObject();
                }
                else
                {
                    reader.Skip();
                    w.WriteRawValue(json[start..(int)reader.BytesConsumed], skipInputValidation: true);
                }
            }
        }

        private static void WriteValue(Utf8JsonWriter w, ReadOnlySpan<byte> raw, bool asArray)
        {
            if (asArray && raw[0] != (byte)'[')
            {
                w.WriteStartArray();
                w.WriteRawValue(raw, skipInputValidation: true);
                w.WriteEndArray();
            }
            else
            {
                w.WriteRawValue(raw, skipInputValidation: true);
            }
        }

        /// <summary>
        /// The raw value of the attribute the reader stands on ("value", else "object", "languageMap", "json", "vocab",
        /// "valueList", "objectList"; of the first instance when several are kept, ADR 0010); leaves the reader at its end.
        /// </summary>
        private static ReadOnlySpan<byte> ValueOf(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
        {
            var (start, end) = ValueRange(ref reader);
            return start < 0 ? "null"u8 : json[start..end];
        }

        private static (int Start, int End) ValueRange(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                (int, int) first = (-1, -1);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (first.Item1 < 0 && reader.TokenType == JsonTokenType.StartObject)
                    {
                        first = ValueRange(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                return first;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var from = (int)reader.TokenStartIndex;
                reader.Skip();
                return (from, (int)reader.BytesConsumed);
            }

            (int, int) value = (-1, -1);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isValue = reader.ValueTextEquals("value"u8) || (value.Item1 < 0 && (reader.ValueTextEquals("object"u8) || reader.ValueTextEquals("languageMap"u8) ||
                    reader.ValueTextEquals("json"u8) || reader.ValueTextEquals("vocab"u8) || reader.ValueTextEquals("valueList"u8) || reader.ValueTextEquals("objectList"u8)));
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (isValue)
                {
                    value = (start, (int)reader.BytesConsumed);
                }
            }

            return value;
        }

        /// <summary>The visible attributes as one compact JSON object of term → value (the CSV "attributes" column), or null if none.</summary>
        public string? CompactValuesJson(Visibility visibility)
        {
            _scratch.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(_scratch, new JsonWriterOptions { SkipValidation = true }))
            {
                w.WriteStartObject();
                WriteAttributes(w, visibility, valuesOnly: true, type: null);
                w.WriteEndObject();
            }

            return _scratch.WrittenCount <= 2 ? null : Encoding.UTF8.GetString(_scratch.WrittenSpan);
        }

        /// <summary>One CSV cell per visible attribute IRI: numbers invariant, texts quoted and neutralised, dates as ISO text, other JSON as text.</summary>
        public void CellTexts(Visibility visibility, Dictionary<string, string> cells)
        {
            cells.Clear();
            var json = Json;
            var reader = new Utf8JsonReader(json);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var iri = Names.Iri(ref reader);
                reader.Read();
                var value = ValueOf(ref reader, json);
                if (visibility.Visible(iri) && !NgsiLd.NgsiEntityStore.IsReserved(iri))
                {
                    cells[iri] = CellOf(value);
                }
            }
        }

        private static string CellOf(ReadOnlySpan<byte> raw)
        {
            var reader = new Utf8JsonReader(raw);
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.Number:
                    return reader.GetDouble().ToString("0.######", CultureInfo.InvariantCulture);
                case JsonTokenType.String:
                    return Cell(reader.GetString());
                case JsonTokenType.True:
                    return "true";
                case JsonTokenType.False:
                    return "false";
                case JsonTokenType.Null:
                    return "";
                case JsonTokenType.StartObject:
                    // A typed literal {"@type": "Date", "@value": "…"} is its text; other objects stay JSON.
                    string? literal = null;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isValue = reader.ValueTextEquals("@value"u8);
                        reader.Read();
                        if (isValue && reader.TokenType == JsonTokenType.String)
                        {
                            literal = reader.GetString();
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }

                    return Cell(literal ?? Encoding.UTF8.GetString(raw));
                default:
                    return Cell(Encoding.UTF8.GetString(raw));
            }
        }
    }

    /// <summary>
    /// The export name (<see cref="NameFor"/>) and list flag of each attribute IRI per asset type, and the IRIs
    /// themselves read from stored JSON without a new string per row. One per export (single-threaded); bounded by
    /// the stored vocabulary.
    /// </summary>
    private sealed class AttributeNames
    {
        private readonly Infrastructure.Utf8StringCache _iris = new();
        private readonly Dictionary<(string? Type, string Iri), (JsonEncodedText Name, bool List)> _names = [];

        public string Iri(ref Utf8JsonReader reader) => reader.ValueIsEscaped ? reader.GetString()! : _iris.Get(reader.ValueSpan);

        public (JsonEncodedText Name, bool List) Of(string iri, AssetType? type)
        {
            if (!_names.TryGetValue((type?.Name, iri), out var entry))
            {
                entry = (NameFor(iri, type), type?.FindAttribute(iri)?.IsList == true);
                if (_names.Count < 10_000)
                {
                    _names[(type?.Name, iri)] = entry;
                }
            }

            return entry;
        }
    }

    /// <summary>Pre-encoded property names and values of the export shapes.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
        public static readonly JsonEncodedText Feature = JsonEncodedText.Encode("Feature");
        public static readonly JsonEncodedText Geometry = JsonEncodedText.Encode("geometry");
        public static readonly JsonEncodedText Properties = JsonEncodedText.Encode("properties");
        public static readonly JsonEncodedText Location = JsonEncodedText.Encode("location");
        public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
        public static readonly JsonEncodedText Object = JsonEncodedText.Encode("object");
        public static readonly JsonEncodedText Property = JsonEncodedText.Encode("Property");
        public static readonly JsonEncodedText GeoProperty = JsonEncodedText.Encode("GeoProperty");
        public static readonly JsonEncodedText Relationship = JsonEncodedText.Encode("Relationship");
        public static readonly JsonEncodedText Context = JsonEncodedText.Encode("@context");
        public static readonly JsonEncodedText CoreContext = JsonEncodedText.Encode(CityTwinContext.CoreContext);
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
        public static readonly JsonEncodedText Address = JsonEncodedText.Encode("address");
        public static readonly JsonEncodedText StreetAddress = JsonEncodedText.Encode("streetAddress");
        public static readonly JsonEncodedText LifecycleStatus = JsonEncodedText.Encode("lifecycleStatus");
        public static readonly JsonEncodedText Condition = JsonEncodedText.Encode("condition");
        public static readonly JsonEncodedText InspectedOn = JsonEncodedText.Encode("inspectedOn");
        public static readonly JsonEncodedText InstalledOn = JsonEncodedText.Encode("installedOn");
        public static readonly JsonEncodedText ExpectedServiceLife = JsonEncodedText.Encode("expectedServiceLife");
        public static readonly JsonEncodedText ReplacementCost = JsonEncodedText.Encode("replacementCost");
        public static readonly JsonEncodedText Criticality = JsonEncodedText.Encode("criticality");
        public static readonly JsonEncodedText OwnerDepartment = JsonEncodedText.Encode("ownerDepartment");
        public static readonly JsonEncodedText District = JsonEncodedText.Encode("district");
        public static readonly JsonEncodedText PublicationClass = JsonEncodedText.Encode("publicationClass");
    }
}
