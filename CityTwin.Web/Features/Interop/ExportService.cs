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


    /// <summary>
    /// Rows of the selection in key order, streamed in constant memory: a producer reads batches of
    /// <see cref="BatchSize"/> rows (and their relationships) while the caller writes the previous batch, on the second
    /// core; at most three batches exist at once and their rows are reused.
    /// </summary>
    private async IAsyncEnumerable<ExportRow> RowsAsync(ExportRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var full = System.Threading.Channels.Channel.CreateBounded<ExportBatch>(new System.Threading.Channels.BoundedChannelOptions(1)
        {
            SingleReader = true, SingleWriter = true,
        });
        var free = new System.Collections.Concurrent.ConcurrentQueue<ExportBatch>();
        var producer = Task.Run(() => ProduceAsync(request, full.Writer, free, stop.Token), stop.Token);
        try
        {
            await foreach (var batch in full.Reader.ReadAllAsync(ct))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    yield return batch.Rows[i];
                }

                free.Enqueue(batch);
            }

            await producer;
        }
        finally
        {
            // The caller stopped early (or failed): stop reading and let the producer dispose its connection.
            await stop.CancelAsync();
            try
            {
                await producer;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>
    /// Reads the selection into batches. The filter is EF's (one definition for the list, bulk edit and export),
    /// compiled once into a command whose rows are read with a plain data reader (no entity materialised or tracked;
    /// one statement, so one consistent snapshot of the assets).
    /// </summary>
    private async Task ProduceAsync(ExportRequest request, System.Threading.Channels.ChannelWriter<ExportBatch> output,
        System.Collections.Concurrent.ConcurrentQueue<ExportBatch> free, CancellationToken ct)
    {
        try
        {
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var query = RegistryQueryService.Filter(db, request.Filter with { AsOf = null }, today);
            if (request.PublicOnly)
            {
                query = query.Where(a => a.Publication == "Public");
            }

            var projected = query.OrderBy(a => a.Seq).Select(a => new
            {
                a.Seq, a.Id, a.Type, a.TypeIri, a.Name, a.Description, a.Status, a.Condition, a.InspectedOn, a.InstalledOn,
                a.ExpectedLifeYears, a.ReplacementCost, a.Criticality, a.Department, a.DistrictCode, a.Address, a.Geometry,
                a.MinLon, a.MinLat, a.MaxLon, a.MaxLat, a.Publication, a.Attributes, a.AttributePublication,
            });
            await db.Database.OpenConnectionAsync(ct);
            await using var command = projected.CreateDbCommand();
            await using var links = LinksCommand(db.Database.GetDbConnection());
            await using var reader = await command.ExecuteReaderAsync(ct);
            var columns = ExportRow.Columns.Of(reader);
            while (true)
            {
                var batch = free.TryDequeue(out var reused) ? reused : new ExportBatch();
                batch.Count = 0;
                while (batch.Count < BatchSize && await reader.ReadAsync(ct))
                {
                    if (batch.Count == batch.Rows.Count)
                    {
                        batch.Rows.Add(new ExportRow());
                    }

                    batch.Rows[batch.Count++].Read(reader, columns);
                }

                if (batch.Count == 0)
                {
                    break;
                }

                await ReadLinksAsync(links, batch, ct);
                await output.WriteAsync(batch, ct);
            }

            output.TryComplete();
        }
        catch (Exception e)
        {
            output.TryComplete(e);
            throw;
        }
    }

    /// <summary>A batch of rows, reused: only the first <see cref="Count"/> rows are current.</summary>
    private sealed class ExportBatch
    {
        public List<ExportRow> Rows { get; } = new(BatchSize);

        public int Count { get; set; }
    }

    /// <summary>
    /// The relationships of the assets in a key range (a batch of rows is a key range of the ordered selection): one
    /// prepared statement reused per batch, links in asset, IRI and target order; links of assets outside the
    /// selection are skipped. CROSS JOIN keeps the key range as the outer loop (SQLite otherwise may scan the links).
    /// </summary>
    private static System.Data.Common.DbCommand LinksCommand(System.Data.Common.DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = """
            SELECT l.AssetId, l.Iri, l.TargetId FROM Assets a CROSS JOIN AssetLinks l ON l.AssetId = a.Id
            WHERE a.Seq BETWEEN @from AND @to ORDER BY a.Seq, l.Iri, l.TargetId
            """;
        foreach (var name in new[] { "@from", "@to" })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = System.Data.DbType.Int64;
            command.Parameters.Add(parameter);
        }

        command.Prepare();
        return command;
    }

    private static async Task ReadLinksAsync(System.Data.Common.DbCommand links, ExportBatch batch, CancellationToken ct)
    {
        var byId = new Dictionary<string, ExportRow>(batch.Count, StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++)
        {
            byId[batch.Rows[i].Id] = batch.Rows[i];
        }

        links.Parameters[0].Value = batch.Rows[0].Seq;
        links.Parameters[1].Value = batch.Rows[batch.Count - 1].Seq;
        await using var reader = await links.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (byId.TryGetValue(reader.GetString(0), out var row))
            {
                row.Links.Add((reader.GetString(1), reader.GetString(2)));
            }
        }
    }

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
        WriteLifecycle(w, r, visibility.PublicOnly, normalized: false, postalAddress: false);
        attributes.WriteAttributes(w, visibility, valuesOnly: true, type: null);
        WriteLinks(w, r, visibility, normalized: false, type: null);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteEntity(Utf8JsonWriter w, ExportRow r, StoredJson attributes, Visibility visibility, bool keyValues, JsonEncodedText contextUrl)
    {
        w.WriteStartObject();
        w.WriteString(Names.Id, r.Id);
        w.WriteString(Names.Type, CompactName(r.TypeIri));
        var type = AssetTypeCatalog.Find(r.Type);
        WriteLifecycle(w, r, visibility.PublicOnly, normalized: !keyValues, postalAddress: true);
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
        WriteLinks(w, r, visibility, normalized: !keyValues, type);
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
    private static void WriteLinks(Utf8JsonWriter w, ExportRow r, Visibility visibility, bool normalized, AssetType? type)
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
                var name = NameFor(iri, type);
                if (normalized)
                {
                    w.WriteStartObject(name);
                    w.WriteString(Names.Type, Names.Relationship);
                    name = Names.Object;
                }

                if (end - i == 1 && type?.FindAttribute(iri)?.IsList != true)
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
    private static void WriteLifecycle(Utf8JsonWriter w, ExportRow r, bool publicOnly, bool normalized, bool postalAddress)
    {
        Span<byte> date = stackalloc byte[10];
        Text(w, Names.Name, r.Name, normalized);
        if (r.Description is { } d)
        {
            Text(w, Names.Description, d, normalized);
        }

        if (r.Address is { } address)
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

        if (r.ReplacementCost is { } cost)
        {
            Start(w, Names.ReplacementCost, normalized);
            w.WriteNumberValue(cost);
            End(w, normalized);
        }

        Start(w, Names.Criticality, normalized);
        w.WriteNumberValue(r.Criticality);
        End(w, normalized);
        if (!publicOnly && r.Department is { } dept)
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

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Type, string Iri), JsonEncodedText> TypeNames = new();

    /// <summary>
    /// The property name of an attribute IRI in an NGSI-LD export of <paramref name="type"/>: CityTwin's term, else the
    /// type's own Smart Data Models term (its SDM context is in the entity's @context), else the IRI.
    /// </summary>
    private static JsonEncodedText NameFor(string iri, AssetType? type)
    {
        if (type?.SdmSubject is null)
        {
            return CompactName(iri);
        }

        return TypeNames.TryGetValue((type.Name, iri), out var name) ? name
            : TypeNames.GetOrAdd((type.Name, iri), key =>
                !ReferenceEquals(CityTwinContext.Compact(key.Iri), key.Iri) || type.FindAttribute(key.Iri) is not { } def
                    ? CompactName(key.Iri)
                    : JsonEncodedText.Encode(def.Term));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonEncodedText> SdmContexts = new(StringComparer.Ordinal);

    /// <summary>The Smart Data Models context of a type's subject (served offline, see <c>StandardDocuments</c>).</summary>
    private static JsonEncodedText? SdmContext(AssetType? type) =>
        type?.SdmSubject is { } subject
            ? SdmContexts.GetOrAdd(subject, s => JsonEncodedText.Encode($"https://smart-data-models.github.io/dataModel.{s}/context.jsonld"))
            : null;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonEncodedText> CompactNames = new(StringComparer.Ordinal);

    /// <summary>The compacted, pre-encoded property name of an IRI (cached: the vocabulary is small).</summary>
    private static JsonEncodedText CompactName(string iri) =>
        CompactNames.TryGetValue(iri, out var name) ? name
        : CompactNames.Count < 10_000 ? CompactNames.GetOrAdd(iri, i => JsonEncodedText.Encode(CityTwinContext.Compact(i)))
        : JsonEncodedText.Encode(CityTwinContext.Compact(iri));

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
            // A term that is also a lifecycle column ("status") is headed by its label ("Lamp status").
            var lifecycle = header.ToHashSet(StringComparer.OrdinalIgnoreCase);
            header.AddRange(attributeColumns.Select(a => lifecycle.Contains(a.Term) ? a.Label : a.UnitLabel is { } u ? $"{a.Term} ({u})" : a.Term));
        }
        else
        {
            header.Add("attributes");
        }

        await writer.WriteAsync(string.Join(',', header.Select(h => Cell(h))) + "\r\n");
        var count = 0;
        var buffer = new StoredJson();
        var cells = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = new StringBuilder(256 * 1024);
        var line = new CsvLine(text);
        await foreach (var r in RowsAsync(request, ct))
        {
            var visibility = new Visibility(r, request.PublicOnly);
            buffer.Load(r.Attributes);
            line.Text(r.Id).Text(r.Type).Text(r.Name).Text(r.Status).Number(r.Condition).Date(r.InspectedOn).Date(r.InstalledOn)
                .Number(r.ExpectedLifeYears).Number(r.ReplacementCost, null).Number(r.Criticality);
            if (!request.PublicOnly)
            {
                line.Text(r.Department);
            }

            line.Text(r.DistrictCode).Text(r.Address);
            if (r.MinLon is { } w0 && r.MaxLon is { } e0 && r.MinLat is { } s0 && r.MaxLat is { } n0)
            {
                line.Number((w0 + e0) / 2, "0.0######").Number((s0 + n0) / 2, "0.0######");
            }
            else
            {
                line.Text(null).Text(null);
            }

            line.Text(r.Geometry.Length > 0 && r.Geometry.Span.IndexOf("\"Point\""u8) < 0 ? Encoding.UTF8.GetString(r.Geometry.Span) : null);
            if (attributeColumns is not null)
            {
                buffer.CellTexts(visibility, cells);
                foreach (var def in attributeColumns)
                {
                    line.Raw(cells.TryGetValue(def.Iri, out var cell) ? cell : "");
                }
            }
            else
            {
                line.Text(buffer.CompactValuesJson(visibility));
            }

            line.End();
            if (++count % 500 == 0)
            {
                // Lines are built in memory and written asynchronously (the response stream allows no synchronous I/O).
                await writer.WriteAsync(text, ct);
                text.Clear();
            }
        }

        await writer.WriteAsync(text, ct);
        await writer.FlushAsync(ct);
        return count;
    }

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

    /// <summary>Writes one CSV line cell by cell, without building strings for numbers and dates.</summary>
    private sealed class CsvLine(StringBuilder writer)
    {
        private bool _first = true;

        private void Separator()
        {
            if (!_first)
            {
                writer.Append(',');
            }

            _first = false;
        }

        public CsvLine Raw(string cell)
        {
            Separator();
            writer.Append(cell);
            return this;
        }

        public CsvLine Text(string? text) => Raw(Cell(text));

        public CsvLine Number(int? value)
        {
            Separator();
            if (value is { } v)
            {
                Span<char> digits = stackalloc char[12];
                if (v.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture))
                {
                    writer.Append(digits[..n]);
                }
            }

            return this;
        }

        public CsvLine Number(double? value, string? format)
        {
            Separator();
            if (value is { } v)
            {
                Span<char> digits = stackalloc char[32];
                if (v.TryFormat(digits, out var n, format, CultureInfo.InvariantCulture))
                {
                    writer.Append(digits[..n]);
                }
                else
                {
                    writer.Append(v.ToString(format, CultureInfo.InvariantCulture));
                }
            }

            return this;
        }

        public CsvLine Date(DateOnly? value)
        {
            Separator();
            if (value is { } v)
            {
                Span<char> text = stackalloc char[10];
                if (v.TryFormat(text, out var n, "yyyy-MM-dd", CultureInfo.InvariantCulture))
                {
                    writer.Append(text[..n]);
                }
            }

            return this;
        }

        public void End()
        {
            writer.Append("\r\n");
            _first = true;
        }
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
                : _type?.FindAttribute(iri)?.DefaultPublication ?? PublicationClass.Public;
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
                var iri = reader.GetString()!;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                if (!visibility.Visible(iri))
                {
                    reader.Skip();
                    continue;
                }

                w.WritePropertyName(NameFor(iri, type));
                var list = type?.FindAttribute(iri)?.IsList == true;
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

        /// <summary>The raw "value" member of the attribute object the reader stands on; leaves the reader at its end.</summary>
        private static ReadOnlySpan<byte> ValueOf(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
        {
            var value = ReadOnlySpan<byte>.Empty;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isValue = reader.ValueTextEquals("value"u8);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (isValue)
                {
                    value = json[start..(int)reader.BytesConsumed];
                }
            }

            return value.IsEmpty ? "null"u8 : value;
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
                var iri = reader.GetString()!;
                reader.Read();
                var value = ValueOf(ref reader, json);
                if (visibility.Visible(iri))
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

/// <summary>One exported row, reused across batches; read by column ordinal from a data reader.</summary>
internal sealed class ExportRow
{
    public long Seq;
    public string Id = "";
    public string Type = "";
    public string TypeIri = "";
    public string Name = "";
    public string? Description;
    public string Status = "";
    public int? Condition;
    public DateOnly? InspectedOn;
    public DateOnly? InstalledOn;
    public int? ExpectedLifeYears;
    public double? ReplacementCost;
    public int Criticality;
    public string? Department;
    public string? DistrictCode;
    public string? Address;
    /// <summary>The GeoJSON geometry as UTF-8 (empty when none), in a buffer reused by the next row.</summary>
    public ReadOnlyMemory<byte> Geometry;
    public double? MinLon;
    public double? MinLat;
    public double? MaxLon;
    public double? MaxLat;
    public string Publication = "";
    /// <summary>The stored attribute document as UTF-8, in a buffer reused by the next row.</summary>
    public ReadOnlyMemory<byte> Attributes;
    public string AttributePublication = "{}";
    public readonly List<(string Iri, string Target)> Links = [];
    private byte[] _geometry = new byte[256];
    private byte[] _attributes = new byte[1024];

    public void Read(System.Data.Common.DbDataReader r, Columns c)
    {
        Seq = r.GetInt64(c.Seq);
        Id = r.GetString(c.Id);
        Type = r.GetString(c.Type);
        TypeIri = r.GetString(c.TypeIri);
        Name = r.GetString(c.Name);
        Description = r.IsDBNull(c.Description) ? null : r.GetString(c.Description);
        Status = r.GetString(c.Status);
        Condition = r.IsDBNull(c.Condition) ? null : r.GetInt32(c.Condition);
        InspectedOn = r.IsDBNull(c.InspectedOn) ? null : r.GetFieldValue<DateOnly>(c.InspectedOn);
        InstalledOn = r.IsDBNull(c.InstalledOn) ? null : r.GetFieldValue<DateOnly>(c.InstalledOn);
        ExpectedLifeYears = r.IsDBNull(c.ExpectedLifeYears) ? null : r.GetInt32(c.ExpectedLifeYears);
        ReplacementCost = r.IsDBNull(c.ReplacementCost) ? null : r.GetDouble(c.ReplacementCost);
        Criticality = r.GetInt32(c.Criticality);
        Department = r.IsDBNull(c.Department) ? null : r.GetString(c.Department);
        DistrictCode = r.IsDBNull(c.DistrictCode) ? null : r.GetString(c.DistrictCode);
        Address = r.IsDBNull(c.Address) ? null : r.GetString(c.Address);
        Geometry = r.IsDBNull(c.Geometry) ? default : Utf8(r, c.Geometry, ref _geometry);
        MinLon = r.IsDBNull(c.MinLon) ? null : r.GetDouble(c.MinLon);
        MinLat = r.IsDBNull(c.MinLat) ? null : r.GetDouble(c.MinLat);
        MaxLon = r.IsDBNull(c.MaxLon) ? null : r.GetDouble(c.MaxLon);
        MaxLat = r.IsDBNull(c.MaxLat) ? null : r.GetDouble(c.MaxLat);
        Publication = r.GetString(c.Publication);
        Attributes = Utf8(r, c.Attributes, ref _attributes);
        AttributePublication = r.GetString(c.AttributePublication);
        Links.Clear();
    }

    /// <summary>
    /// A text column as UTF-8 in a reused buffer (Microsoft.Data.Sqlite's GetBytes on text measured 3× slower than
    /// GetString plus encoding).
    /// </summary>
    private static ReadOnlyMemory<byte> Utf8(System.Data.Common.DbDataReader r, int ordinal, ref byte[] buffer)
    {
        var text = r.GetString(ordinal);
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max > buffer.Length)
        {
            buffer = new byte[Math.Max(max, buffer.Length * 2)];
        }

        return buffer.AsMemory(0, Encoding.UTF8.GetBytes(text, buffer));
    }

    /// <summary>Column ordinals by name, so the reader does not depend on the order EF writes the projection in.</summary>
    internal sealed record Columns(
        int Seq, int Id, int Type, int TypeIri, int Name, int Description, int Status, int Condition, int InspectedOn, int InstalledOn,
        int ExpectedLifeYears, int ReplacementCost, int Criticality, int Department, int DistrictCode, int Address, int Geometry,
        int MinLon, int MinLat, int MaxLon, int MaxLat, int Publication, int Attributes, int AttributePublication)
    {
        public static Columns Of(System.Data.Common.DbDataReader r) => new(
            r.GetOrdinal("Seq"), r.GetOrdinal("Id"), r.GetOrdinal("Type"), r.GetOrdinal("TypeIri"), r.GetOrdinal("Name"),
            r.GetOrdinal("Description"), r.GetOrdinal("Status"), r.GetOrdinal("Condition"), r.GetOrdinal("InspectedOn"),
            r.GetOrdinal("InstalledOn"), r.GetOrdinal("ExpectedLifeYears"), r.GetOrdinal("ReplacementCost"), r.GetOrdinal("Criticality"),
            r.GetOrdinal("Department"), r.GetOrdinal("DistrictCode"), r.GetOrdinal("Address"), r.GetOrdinal("Geometry"),
            r.GetOrdinal("MinLon"), r.GetOrdinal("MinLat"), r.GetOrdinal("MaxLon"), r.GetOrdinal("MaxLat"),
            r.GetOrdinal("Publication"), r.GetOrdinal("Attributes"), r.GetOrdinal("AttributePublication"));
    }
}
