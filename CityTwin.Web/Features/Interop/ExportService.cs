using System.Globalization;
using System.Text;
using System.Text.Json;
using CityTwin.Domain.Assets;
using CityTwin.Domain.Geography;
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

    private async IAsyncEnumerable<Asset> AssetsAsync(ExportRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
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

                batch = await query.OrderBy(a => a.Seq).Take(BatchSize).Include(a => a.Links).AsSplitQuery().ToListAsync(ct);
            }

            if (batch.Count == 0)
            {
                yield break;
            }

            foreach (var record in batch)
            {
                yield return AssetMapper.ToDomain(record);
            }

            after = batch[^1].Seq;
        }
    }

    private static bool Visible(Asset asset, string iri, bool publicOnly) => !publicOnly || asset.PublicationOf(iri) == PublicationClass.Public;

    private async Task<int> WriteJsonAsync(ExportRequest request, Stream output, CancellationToken ct)
    {
        var count = 0;
        await using var w = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = false });
        if (request.Format == ExportFormat.GeoJson)
        {
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteStartArray("features");
        }
        else
        {
            w.WriteStartArray();
        }

        await foreach (var asset in AssetsAsync(request, ct))
        {
            switch (request.Format)
            {
                case ExportFormat.GeoJson:
                    WriteFeature(w, asset, request.PublicOnly);
                    break;
                default:
                    WriteEntity(w, asset, request, request.Format == ExportFormat.NgsiLdKeyValues);
                    break;
            }

            if (++count % 200 == 0)
            {
                await w.FlushAsync(ct);
            }
        }

        w.WriteEndArray();
        if (request.Format == ExportFormat.GeoJson)
        {
            w.WriteEndObject();
        }

        await w.FlushAsync(ct);
        return count;
    }

    private static void WriteFeature(Utf8JsonWriter w, Asset a, bool publicOnly)
    {
        w.WriteStartObject();
        w.WriteString("type", "Feature");
        w.WriteString("id", a.Id.Value);
        w.WritePropertyName("geometry");
        if (a.Geometry is { } g)
        {
            GeoJson.Write(w, g);
        }
        else
        {
            w.WriteNullValue();
        }

        w.WriteStartObject("properties");
        w.WriteString("type", a.Type.Name);
        foreach (var (term, value) in LifecycleValues(a, publicOnly))
        {
            WriteScalar(w, term, value);
        }

        foreach (var (iri, value) in a.Attributes.Where(x => Visible(a, x.Key, publicOnly)))
        {
            w.WritePropertyName(CityTwinContext.Compact(iri));
            AssetMapper.WriteValue(w, value);
        }

        foreach (var group in a.Relationships.Where(r => Visible(a, r.Iri, publicOnly)).GroupBy(r => r.Iri))
        {
            WriteTargets(w, CityTwinContext.Compact(group.Key), group);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteEntity(Utf8JsonWriter w, Asset a, ExportRequest request, bool keyValues)
    {
        w.WriteStartObject();
        w.WriteString("id", a.Id.Value);
        w.WriteString("type", CityTwinContext.Compact(a.Type.Iri));
        foreach (var (term, value) in LifecycleValues(a, request.PublicOnly))
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

        if (a.Geometry is { } g)
        {
            w.WritePropertyName("location");
            if (!keyValues)
            {
                w.WriteStartObject();
                w.WriteString("type", "GeoProperty");
                w.WritePropertyName("value");
            }

            GeoJson.Write(w, g);
            if (!keyValues)
            {
                w.WriteEndObject();
            }
        }

        foreach (var (iri, value) in a.Attributes.Where(x => Visible(a, x.Key, request.PublicOnly)))
        {
            w.WritePropertyName(CityTwinContext.Compact(iri));
            if (keyValues)
            {
                AssetMapper.WriteValue(w, value);
                continue;
            }

            w.WriteStartObject();
            w.WriteString("type", "Property");
            w.WritePropertyName("value");
            AssetMapper.WriteValue(w, value);
            if (value.UnitCode is { } unit)
            {
                w.WriteString("unitCode", unit);
            }

            w.WriteEndObject();
        }

        foreach (var group in a.Relationships.Where(r => Visible(a, r.Iri, request.PublicOnly)).GroupBy(r => r.Iri))
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
        w.WriteStringValue(request.ContextUrl);
        w.WriteStringValue(CityTwinContext.CoreContext);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteTargets(Utf8JsonWriter w, string name, IEnumerable<AssetRelationship> targets)
    {
        var list = targets.Select(t => t.Target.Value).ToList();
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
    private static IEnumerable<(string Term, object? Value)> LifecycleValues(Asset a, bool publicOnly)
    {
        yield return ("name", a.Name);
        if (a.Description is { } d)
        {
            yield return ("description", d);
        }

        if (a.Address is { } address)
        {
            yield return ("address", address);
        }

        yield return ("lifecycleStatus", a.Status.ToString());
        if (a.Condition is { } c)
        {
            yield return ("condition", c);
        }

        if (a.InspectedOn is { } i)
        {
            yield return ("inspectedOn", i);
        }

        if (a.InstalledOn is { } inst)
        {
            yield return ("installedOn", inst);
        }

        if (a.ExpectedLifeYears is { } life)
        {
            yield return ("expectedServiceLife", life);
        }

        if (a.ReplacementCost is { } cost)
        {
            yield return ("replacementCost", cost);
        }

        yield return ("criticality", a.Criticality);
        if (!publicOnly && a.Department is { } dept)
        {
            yield return ("ownerDepartment", dept);
        }

        if (a.DistrictCode is { } district)
        {
            yield return ("district", district);
        }

        yield return ("publicationClass", a.Publication.ToString());
    }

    private static void WriteScalar(Utf8JsonWriter w, string name, object? value)
    {
        switch (value)
        {
            case int i:
                w.WriteNumber(name, i);
                break;
            case decimal m:
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
        await foreach (var a in AssetsAsync(request, ct))
        {
            var cells = new List<string>
            {
                Cell(a.Id.Value), Cell(a.Type.Name), Cell(a.Name), Cell(a.Status.ToString()), Number(a.Condition),
                Date(a.InspectedOn), Date(a.InstalledOn), Number(a.ExpectedLifeYears),
                a.ReplacementCost?.ToString(CultureInfo.InvariantCulture) ?? "", Number(a.Criticality), Cell(a.DistrictCode), Cell(a.Address),
                a.Geometry is { } g ? g.Anchor.Longitude.ToString("0.0######", CultureInfo.InvariantCulture) : "",
                a.Geometry is { } g2 ? g2.Anchor.Latitude.ToString("0.0######", CultureInfo.InvariantCulture) : "",
                a.Geometry is { Kind: not GeometryKind.Point } poly ? Cell(GeoJson.Write(poly)) : "",
            };
            if (!request.PublicOnly)
            {
                cells.Insert(10, Cell(a.Department));
            }

            if (attributeColumns is not null)
            {
                cells.AddRange(attributeColumns.Select(def => a.Attributes.TryGetValue(def.Iri, out var v) && Visible(a, def.Iri, request.PublicOnly) ? ValueCell(v) : ""));
            }
            else
            {
                var visible = a.Attributes.Where(x => Visible(a, x.Key, request.PublicOnly)).ToDictionary(x => x.Key, x => x.Value);
                cells.Add(visible.Count == 0 ? "" : Cell(AttributesJson(visible)));
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
