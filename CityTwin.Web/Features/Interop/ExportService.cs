using System.Globalization;
using System.Text;
using System.Text.Json;
using CityTwin.Domain.Assets;
using CityTwin.Web.Data;
using CityTwin.Web.Data.Records;
using CityTwin.Web.Features.Registry;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.Interop;

public enum ExportFormat
{
    GeoJson,
    Csv,
    NgsiLd,
    NgsiLdKeyValues,
}

/// <summary>What to export: a registry selection, a format, who is asking (public data only or all) and the context URL.</summary>
public sealed record ExportRequest(RegistryFilter Filter, ExportFormat Format, bool PublicOnly, string ContextUrl, bool Bom = false);

/// <summary>
/// Streams a registry selection as GeoJSON, CSV or NGSI-LD (normalized or keyValues) in constant memory: rows are read
/// in key-ordered batches and written straight to the output. Public callers get public assets and public attributes
/// only; CSV text cells that a spreadsheet would run as a formula are neutralised.
/// </summary>
public sealed class ExportService(IDbContextFactory<CityTwinDbContext> dbFactory, TimeProvider time)
{
    private const int BatchSize = 1000;

    public static (string ContentType, string Extension) MediaOf(ExportFormat format) => format switch
    {
        ExportFormat.GeoJson => ("application/geo+json", "geojson"),
        ExportFormat.Csv => ("text/csv; charset=utf-8", "csv"),
        _ => ("application/ld+json", "jsonld"),
    };

    public static bool TryParseFormat(string? text, out ExportFormat format)
    {
        format = (text ?? "").ToLowerInvariant() switch
        {
            "geojson" => ExportFormat.GeoJson,
            "csv" => ExportFormat.Csv,
            "ngsi-ld" or "ngsild" or "normalized" => ExportFormat.NgsiLd,
            "ngsi-ld-keyvalues" or "keyvalues" => ExportFormat.NgsiLdKeyValues,
            _ => (ExportFormat)(-1),
        };
        return Enum.IsDefined(format);
    }

    /// <summary>Writes the export; returns the number of assets written.</summary>
    public async Task<int> WriteAsync(ExportRequest request, Stream output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        return request.Format == ExportFormat.Csv
            ? await WriteCsvAsync(request, output, ct)
            : await WriteJsonAsync(request, output, ct);
    }

    /// <summary>Rows of the selection in key order, read in batches (constant memory), written from their stored shape.</summary>
    private async IAsyncEnumerable<AssetRecord> RowsAsync(ExportRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        long after = 0;
        while (true)
        {
            List<AssetRecord> batch;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                var query = RegistryQueryService.Filter(db, request.Filter with { AsOf = null }, today).Where(a => a.Seq > after);
                if (request.PublicOnly)
                {
                    query = query.Where(a => a.Publication == "Public");
                }

                // Only the exported columns; links of the whole batch in one query.
                batch = await query.OrderBy(a => a.Seq).Take(BatchSize).Select(a => new AssetRecord
                {
                    Seq = a.Seq, Id = a.Id, Type = a.Type, TypeIri = a.TypeIri, Name = a.Name, Description = a.Description, Status = a.Status,
                    Condition = a.Condition, InspectedOn = a.InspectedOn, InstalledOn = a.InstalledOn, ExpectedLifeYears = a.ExpectedLifeYears,
                    ReplacementCost = a.ReplacementCost, Criticality = a.Criticality, Department = a.Department, DistrictCode = a.DistrictCode,
                    Address = a.Address, Geometry = a.Geometry, MinLon = a.MinLon, MinLat = a.MinLat, MaxLon = a.MaxLon, MaxLat = a.MaxLat,
                    Publication = a.Publication, Attributes = a.Attributes, AttributePublication = a.AttributePublication,
                }).ToListAsync(ct);
                if (batch.Count > 0)
                {
                    var ids = batch.Select(b => b.Id).ToList();
                    var links = await db.AssetLinks.AsNoTracking().Where(l => ids.Contains(l.AssetId)).ToListAsync(ct);
                    var byAsset = links.ToLookup(l => l.AssetId, StringComparer.Ordinal);
                    foreach (var record in batch)
                    {
                        record.Links = [.. byAsset[record.Id]];
                    }
                }
            }

            if (batch.Count == 0)
            {
                yield break;
            }

            foreach (var record in batch)
            {
                yield return record;
            }

            after = batch[^1].Seq;
        }
    }

    /// <summary>The effective publication of one stored attribute: its own class, else its definition's default, never more public than the asset.</summary>
    private static bool Visible(AssetRecord r, AssetType? type, Dictionary<string, PublicationClass> overrides, string iri, bool publicOnly)
    {
        if (!publicOnly)
        {
            return true;
        }

        var own = overrides.TryGetValue(iri, out var p) ? p : type?.FindAttribute(iri)?.DefaultPublication ?? PublicationClass.Public;
        return own == PublicationClass.Public && r.Publication == nameof(PublicationClass.Public);
    }

    private static Dictionary<string, PublicationClass> Overrides(AssetRecord r) =>
        r.AttributePublication is "{}" or "" ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(r.AttributePublication)!
            .ToDictionary(p => p.Key, p => Enum.Parse<PublicationClass>(p.Value), StringComparer.Ordinal);

    private async Task<int> WriteJsonAsync(ExportRequest request, Stream output, CancellationToken ct)
    {
        var count = 0;
        await using var w = new Utf8JsonWriter(output);
        var geoJson = request.Format == ExportFormat.GeoJson;
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
        await foreach (var r in RowsAsync(request, ct))
        {
            var type = AssetTypeCatalog.Find(r.Type);
            var overrides = Overrides(r);
            using var attributes = JsonDocument.Parse(r.Attributes);
            if (geoJson)
            {
                WriteFeature(w, r, type, overrides, attributes.RootElement, request.PublicOnly);
            }
            else
            {
                WriteEntity(w, r, type, overrides, attributes.RootElement, request.PublicOnly, request.Format == ExportFormat.NgsiLdKeyValues, contextUrl);
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

    private static void WriteFeature(Utf8JsonWriter w, AssetRecord r, AssetType? type, Dictionary<string, PublicationClass> overrides, JsonElement attributes, bool publicOnly)
    {
        w.WriteStartObject();
        w.WriteString("type", "Feature");
        w.WriteString("id", r.Id);
        w.WritePropertyName("geometry");
        if (r.Geometry is { } g)
        {
            w.WriteRawValue(g, skipInputValidation: true);
        }
        else
        {
            w.WriteNullValue();
        }

        w.WriteStartObject("properties");
        w.WriteString("type", r.Type);
        foreach (var (term, value) in LifecycleValues(r, publicOnly))
        {
            WriteScalar(w, term, value);
        }

        foreach (var attribute in attributes.EnumerateObject())
        {
            if (Visible(r, type, overrides, attribute.Name, publicOnly))
            {
                w.WritePropertyName(CityTwinContext.Compact(attribute.Name));
                attribute.Value.GetProperty("value").WriteTo(w);
            }
        }

        foreach (var group in r.Links.Where(l => Visible(r, type, overrides, l.Iri, publicOnly)).GroupBy(l => l.Iri))
        {
            WriteTargets(w, CityTwinContext.Compact(group.Key), group);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteEntity(Utf8JsonWriter w, AssetRecord r, AssetType? type, Dictionary<string, PublicationClass> overrides, JsonElement attributes,
        bool publicOnly, bool keyValues, JsonEncodedText contextUrl)
    {
        w.WriteStartObject();
        w.WriteString("id", r.Id);
        w.WriteString("type", CityTwinContext.Compact(r.TypeIri));
        foreach (var (term, value) in LifecycleValues(r, publicOnly))
        {
            if (keyValues)
            {
                WriteScalar(w, term, value);
                continue;
            }

            w.WriteStartObject(term);
            w.WriteString("type", "Property");
            WriteScalar(w, "value", value);
            w.WriteEndObject();
        }

        if (r.Geometry is { } g)
        {
            w.WritePropertyName("location");
            if (keyValues)
            {
                w.WriteRawValue(g, skipInputValidation: true);
            }
            else
            {
                w.WriteStartObject();
                w.WriteString("type", "GeoProperty");
                w.WritePropertyName("value");
                w.WriteRawValue(g, skipInputValidation: true);
                w.WriteEndObject();
            }
        }

        foreach (var attribute in attributes.EnumerateObject())
        {
            if (!Visible(r, type, overrides, attribute.Name, publicOnly))
            {
                continue;
            }

            w.WritePropertyName(CityTwinContext.Compact(attribute.Name));
            // Stored attributes already have the NGSI-LD normalized shape {type, value, unitCode}.
            (keyValues ? attribute.Value.GetProperty("value") : attribute.Value).WriteTo(w);
        }

        foreach (var group in r.Links.Where(l => Visible(r, type, overrides, l.Iri, publicOnly)).GroupBy(l => l.Iri))
        {
            if (keyValues)
            {
                WriteTargets(w, CityTwinContext.Compact(group.Key), group);
                continue;
            }

            w.WriteStartObject(CityTwinContext.Compact(group.Key));
            w.WriteString("type", "Relationship");
            WriteTargets(w, "object", group);
            w.WriteEndObject();
        }

        w.WriteStartArray("@context");
        w.WriteStringValue(contextUrl);
        w.WriteStringValue(CityTwinContext.CoreContext);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteTargets(Utf8JsonWriter w, string name, IEnumerable<AssetLinkRecord> targets)
    {
        var list = targets.Select(t => t.TargetId).ToList();
        if (list.Count == 1)
        {
            w.WriteString(name, list[0]);
            return;
        }

        w.WriteStartArray(name);
        list.ForEach(w.WriteStringValue);
        w.WriteEndArray();
    }

    /// <summary>The lifecycle fields by CityTwin term; the owner department is internal and left out of public exports.</summary>
    private static IEnumerable<(string Term, object? Value)> LifecycleValues(AssetRecord r, bool publicOnly)
    {
        yield return ("name", r.Name);
        if (r.Description is { } d)
        {
            yield return ("description", d);
        }

        if (r.Address is { } address)
        {
            yield return ("address", address);
        }

        yield return ("lifecycleStatus", r.Status);
        if (r.Condition is { } c)
        {
            yield return ("condition", c);
        }

        if (r.InspectedOn is { } i)
        {
            yield return ("inspectedOn", i);
        }

        if (r.InstalledOn is { } inst)
        {
            yield return ("installedOn", inst);
        }

        if (r.ExpectedLifeYears is { } life)
        {
            yield return ("expectedServiceLife", life);
        }

        if (r.ReplacementCost is { } cost)
        {
            yield return ("replacementCost", cost);
        }

        yield return ("criticality", r.Criticality);
        if (!publicOnly && r.Department is { } dept)
        {
            yield return ("ownerDepartment", dept);
        }

        if (r.DistrictCode is { } district)
        {
            yield return ("district", district);
        }

        yield return ("publicationClass", r.Publication);
    }

    private static void WriteScalar(Utf8JsonWriter w, string name, object? value)
    {
        switch (value)
        {
            case int i:
                w.WriteNumber(name, i);
                break;
            case double m:
                w.WriteNumber(name, m);
                break;
            case DateOnly date:
                w.WriteString(name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case null:
                w.WriteNull(name);
                break;
            default:
                w.WriteString(name, value.ToString());
                break;
        }
    }

    private async Task<int> WriteCsvAsync(ExportRequest request, Stream output, CancellationToken ct)
    {
        var type = request.Filter.Type is { } t ? AssetTypeCatalog.Find(t) : null;
        var attributeColumns = type?.Attributes.Where(a => a.Kind == AttributeKind.Property && (!request.PublicOnly || a.DefaultPublication == PublicationClass.Public)).ToList();
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: request.Bom), bufferSize: 64 * 1024, leaveOpen: true);
        var header = new List<string>
        {
            "id", "type", "name", "status", "condition", "inspectedOn", "installedOn", "expectedLifeYears", "replacementCost",
            "criticality", "district", "address", "longitude", "latitude", "geometry",
        };
        if (!request.PublicOnly)
        {
            header.Insert(10, "department");
        }

        if (attributeColumns is not null)
        {
            header.AddRange(attributeColumns.Select(a => a.UnitLabel is { } u ? $"{a.Term} ({u})" : a.Term));
        }
        else
        {
            header.Add("attributes");
        }

        await writer.WriteLineAsync(string.Join(',', header.Select(h => Cell(h))));
        var count = 0;
        await foreach (var r in RowsAsync(request, ct))
        {
            var rowType = AssetTypeCatalog.Find(r.Type);
            var overrides = Overrides(r);
            var point = r.MinLon is { } w0 && r.MaxLon is { } e0 && r.MinLat is { } s0 && r.MaxLat is { } n0 ? ((w0 + e0) / 2, (s0 + n0) / 2) : ((double, double)?)null;
            var cells = new List<string>
            {
                Cell(r.Id), Cell(r.Type), Cell(r.Name), Cell(r.Status), Number(r.Condition),
                Date(r.InspectedOn), Date(r.InstalledOn), Number(r.ExpectedLifeYears),
                r.ReplacementCost?.ToString(CultureInfo.InvariantCulture) ?? "", Number(r.Criticality), Cell(r.DistrictCode), Cell(r.Address),
                point is { } p1 ? p1.Item1.ToString("0.0######", CultureInfo.InvariantCulture) : "",
                point is { } p2 ? p2.Item2.ToString("0.0######", CultureInfo.InvariantCulture) : "",
                r.Geometry is { } g && !g.Contains("\"Point\"", StringComparison.Ordinal) ? Cell(g) : "",
            };
            if (!request.PublicOnly)
            {
                cells.Insert(10, Cell(r.Department));
            }

            var values = AssetMapper.ReadAttributes(r.Attributes, rowType)
                .Where(x => Visible(r, rowType, overrides, x.Key, request.PublicOnly)).ToDictionary(x => x.Key, x => x.Value);
            if (attributeColumns is not null)
            {
                cells.AddRange(attributeColumns.Select(def => values.TryGetValue(def.Iri, out var v) ? ValueCell(v) : ""));
            }
            else
            {
                cells.Add(values.Count == 0 ? "" : Cell(AttributesJson(values)));
            }

            await writer.WriteLineAsync(string.Join(',', cells));
            count++;
        }

        await writer.FlushAsync(ct);
        return count;
    }

    private static string AttributesJson(Dictionary<string, AttributeValue> attributes)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var (iri, value) in attributes)
            {
                w.WritePropertyName(CityTwinContext.Compact(iri));
                AssetMapper.WriteValue(w, value);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string ValueCell(AttributeValue v) => v.Number is { } n ? n.ToString("0.######", CultureInfo.InvariantCulture) : Cell(v.Text ?? v.ToString());

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Date(DateOnly? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <summary>
    /// A CSV text cell (RFC 4180 quoting). Text a spreadsheet would evaluate (starting with = + - @, tab or CR) gets a
    /// leading apostrophe so it stays text (OWASP CSV injection guidance).
    /// </summary>
    internal static string Cell(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
