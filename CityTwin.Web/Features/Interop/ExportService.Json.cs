using System.Globalization;
using System.Text.Json;
using CityTwin.Domain.Assets;
using CityTwin.Web.Features.JsonLd;

namespace CityTwin.Web.Features.Interop;

/// <summary>GeoJSON and NGSI-LD (normalized, keyValues; Smart Data Models-shaped) writers.</summary>
public sealed partial class ExportService
{
    private async Task<int> WriteJsonAsync(ExportRequest request, Stream output, CancellationToken ct)
    {
        var count = 0;
        await using var w = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        var geoJson = request.Format == ExportFormat.GeoJson;
        var keyValues = request.Format == ExportFormat.NgsiLdKeyValues;
        if (geoJson)
        {
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteStartArray("features");
        }
        else
        {
            w.WriteStartArray();
        }

        var contextUrl = JsonEncodedText.Encode(request.ContextUrl);
        var buffer = new StoredJson();
        await foreach (var r in RowsAsync(request, ct))
        {
            var visibility = new Visibility(r, request.PublicOnly);
            buffer.Load(r.Attributes);
            if (geoJson)
            {
                WriteFeature(w, r, buffer, visibility);
            }
            else
            {
                WriteEntity(w, r, buffer, visibility, keyValues, contextUrl);
            }

            if (++count % 500 == 0)
            {
                await w.FlushAsync(ct);
            }
        }

        w.WriteEndArray();
        if (geoJson)
        {
            w.WriteEndObject();
        }

        await w.FlushAsync(ct);
        return count;
    }

    private static void WriteFeature(Utf8JsonWriter w, ExportRow r, StoredJson attributes, Visibility visibility)
    {
        w.WriteStartObject();
        w.WriteString(Names.Type, Names.Feature);
        w.WriteString(Names.Id, r.Id);
        w.WritePropertyName(Names.Geometry);
        if (r.Geometry.Length > 0)
        {
            w.WriteRawValue(r.Geometry.Span, skipInputValidation: true);
        }
        else
        {
            w.WriteNullValue();
        }

        w.WriteStartObject(Names.Properties);
        w.WriteString(Names.Type, r.Type);
        WriteLifecycle(w, r, visibility, normalized: false, postalAddress: false);
        attributes.WriteAttributes(w, visibility, valuesOnly: true, type: null);
        WriteLinks(w, r, visibility, normalized: false, type: null, attributes.Names);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteEntity(Utf8JsonWriter w, ExportRow r, StoredJson attributes, Visibility visibility, bool keyValues, JsonEncodedText contextUrl)
    {
        w.WriteStartObject();
        w.WriteString(Names.Id, r.Id);
        w.WriteString(Names.Type, CompactName(r.TypeIri));
        var type = AssetTypeCatalog.Find(r.Type);
        WriteLifecycle(w, r, visibility, normalized: !keyValues, postalAddress: true);
        if (r.Geometry.Length > 0)
        {
            var g = r.Geometry.Span;
            w.WritePropertyName(Names.Location);
            if (keyValues)
            {
                w.WriteRawValue(g, skipInputValidation: true);
            }
            else
            {
                w.WriteStartObject();
                w.WriteString(Names.Type, Names.GeoProperty);
                w.WritePropertyName(Names.Value);
                w.WriteRawValue(g, skipInputValidation: true);
                w.WriteEndObject();
            }
        }

        // Stored attributes already have the NGSI-LD normalized shape {type, value, unitCode}.
        attributes.WriteAttributes(w, visibility, valuesOnly: keyValues, type);
        WriteLinks(w, r, visibility, normalized: !keyValues, type, attributes.Names);
        w.WriteStartArray(Names.Context);
        if (SdmContext(type) is { } sdmContext)
        {
            // The type's Smart Data Models context first: it names the terms CityTwin's context leaves out because
            // two types define them differently (e.g. "category"); CityTwin's context, later, wins for shared terms.
            w.WriteStringValue(sdmContext);
        }

        w.WriteStringValue(contextUrl);
        w.WriteStringValue(Names.CoreContext);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// Relationships grouped by IRI (links arrive sorted by IRI); one target as a string, several as an array, and
    /// always an array where Smart Data Models declares a list (NGSI-LD exports, <paramref name="type"/> given).
    /// </summary>
    private static void WriteLinks(Utf8JsonWriter w, ExportRow r, Visibility visibility, bool normalized, AssetType? type, AttributeNames names)
    {
        var links = r.Links;
        for (var i = 0; i < links.Count;)
        {
            var iri = links[i].Iri;
            var end = i + 1;
            while (end < links.Count && links[end].Iri == iri)
            {
                end++;
            }

            if (visibility.Visible(iri))
            {
                var (name, list) = names.Of(iri, type);
                if (normalized)
                {
                    w.WriteStartObject(name);
                    w.WriteString(Names.Type, Names.Relationship);
                    name = Names.Object;
                }

                if (end - i == 1 && !list)
                {
                    w.WriteString(name, links[i].Target);
                }
                else
                {
                    w.WriteStartArray(name);
                    for (var k = i; k < end; k++)
                    {
                        w.WriteStringValue(links[k].Target);
                    }

                    w.WriteEndArray();
                }

                if (normalized)
                {
                    w.WriteEndObject();
                }
            }

            i = end;
        }
    }

    /// <summary>The lifecycle fields by CityTwin term; the owner department is internal and left out of public exports.</summary>
    private static void WriteLifecycle(Utf8JsonWriter w, ExportRow r, Visibility visibility, bool normalized, bool postalAddress)
    {
        Span<byte> date = stackalloc byte[10];
        Text(w, Names.Name, r.Name, normalized);
        if (r.Description is { } d && visibility.Visible(LifecycleIri.Description))
        {
            Text(w, Names.Description, d, normalized);
        }

        if (r.Address is { } address && visibility.Visible(LifecycleIri.Address))
        {
            if (postalAddress)
            {
                // Smart Data Models' address is a schema.org PostalAddress object.
                Start(w, Names.Address, normalized);
                w.WriteStartObject();
                w.WriteString(Names.StreetAddress, address);
                w.WriteEndObject();
                End(w, normalized);
            }
            else
            {
                Text(w, Names.Address, address, normalized);
            }
        }

        Text(w, Names.LifecycleStatus, r.Status, normalized);
        if (r.Condition is { } c)
        {
            Start(w, Names.Condition, normalized);
            w.WriteNumberValue(c);
            End(w, normalized);
        }

        if (r.InspectedOn is { } i && i.TryFormat(date, out var n1, "yyyy-MM-dd", CultureInfo.InvariantCulture))
        {
            Start(w, Names.InspectedOn, normalized);
            w.WriteStringValue(date[..n1]);
            End(w, normalized);
        }

        if (r.InstalledOn is { } inst && inst.TryFormat(date, out var n2, "yyyy-MM-dd", CultureInfo.InvariantCulture))
        {
            Start(w, Names.InstalledOn, normalized);
            w.WriteStringValue(date[..n2]);
            End(w, normalized);
        }

        if (r.ExpectedLifeYears is { } life)
        {
            Start(w, Names.ExpectedServiceLife, normalized);
            w.WriteNumberValue(life);
            End(w, normalized);
        }

        if (r.ReplacementCost is { } cost && visibility.Visible(LifecycleIri.ReplacementCost))
        {
            Start(w, Names.ReplacementCost, normalized);
            w.WriteNumberValue(cost);
            End(w, normalized);
        }

        if (visibility.Visible(LifecycleIri.Criticality))
        {
            Start(w, Names.Criticality, normalized);
            w.WriteNumberValue(r.Criticality);
            End(w, normalized);
        }

        if (r.Department is { } dept && visibility.Visible(LifecycleIri.Department))
        {
            Text(w, Names.OwnerDepartment, dept, normalized);
        }

        if (r.DistrictCode is { } district)
        {
            Text(w, Names.District, district, normalized);
        }

        Text(w, Names.PublicationClass, r.Publication, normalized);

        static void Text(Utf8JsonWriter w, JsonEncodedText name, string value, bool normalized)
        {
            Start(w, name, normalized);
            w.WriteStringValue(value);
            End(w, normalized);
        }

        static void Start(Utf8JsonWriter w, JsonEncodedText name, bool normalized)
        {
            if (normalized)
            {
                w.WriteStartObject(name);
                w.WriteString(Names.Type, Names.Property);
                w.WritePropertyName(Names.Value);
            }
            else
            {
                w.WritePropertyName(name);
            }
        }

        static void End(Utf8JsonWriter w, bool normalized)
        {
            if (normalized)
            {
                w.WriteEndObject();
            }
        }
    }

    /// <summary>Pre-encoded SDM terms of catalogue attributes (bounded by the catalogue).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<AttributeDefinition, JsonEncodedText> TypeTerms = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// The property name of an attribute IRI in an NGSI-LD export of <paramref name="type"/>: CityTwin's term, else the
    /// type's own Smart Data Models term (its SDM context is in the entity's @context), else the IRI.
    /// </summary>
    private static JsonEncodedText NameFor(string iri, AssetType? type) =>
        type?.SdmSubject is not null && type.FindAttribute(iri) is { } definition && ReferenceEquals(CityTwinContext.Compact(iri), iri)
            ? TypeTerms.GetOrAdd(definition, d => JsonEncodedText.Encode(d.Term))
            : CompactName(iri);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonEncodedText> SdmContexts = new(StringComparer.Ordinal);

    /// <summary>The Smart Data Models context of a type's subject (served offline, see <c>StandardDocuments</c>).</summary>
    private static JsonEncodedText? SdmContext(AssetType? type) =>
        type?.SdmSubject is { } subject ? SdmContexts.GetOrAdd(subject, s => JsonEncodedText.Encode(StandardDocuments.SdmContextUrl(s))) : null;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonEncodedText> CompactNames = new(StringComparer.Ordinal);

    /// <summary>The compacted, pre-encoded property name of an IRI (cached: the vocabulary is small).</summary>
    private static JsonEncodedText CompactName(string iri) =>
        CompactNames.TryGetValue(iri, out var name) ? name
        : CompactNames.Count < 10_000 ? CompactNames.GetOrAdd(iri, i => JsonEncodedText.Encode(CityTwinContext.Compact(i)))
        : JsonEncodedText.Encode(CityTwinContext.Compact(iri));
}
