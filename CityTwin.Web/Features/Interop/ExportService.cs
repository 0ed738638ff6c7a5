using System.Text;
using System.Text.Json;
using CityTwin.Web.Data;
using CityTwin.Web.Data.Sqlite;
using CityTwin.Web.Infrastructure;
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
public sealed partial class ExportService(IDbContextFactory<CityTwinDbContext> dbFactory, TimeProvider time)
{
    private const int BatchSize = 1000;

    /// <summary>Read SQLite rows straight from the statement (ADR 0009); tests turn it off to compare with the data-reader path.</summary>
    internal bool RawSqlite { get; set; } = true;

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
            using var rawRows = RawSqlite ? SqliteRawReader.TryOpen(command) : null;
            using var rawLinks = rawRows is null ? null : SqliteRawReader.TryOpen(links);
            if (rawRows is not null && rawLinks is not null)
            {
                // SQLite: straight from the statement (ADR 0009); the scan is synchronous on this producer task.
                var columns = ExportRow.Columns.Of(rawRows);
                var strings = new Utf8StringCache();
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    var batch = NextBatch(free);
                    while (batch.Count < BatchSize && rawRows.Read())
                    {
                        batch.Next().Read(rawRows, columns, strings);
                    }

                    if (batch.Count == 0)
                    {
                        break;
                    }

                    rawLinks.Restart();
                    rawLinks.Bind(1, batch.Rows[0].Seq);
                    rawLinks.Bind(2, batch.Rows[batch.Count - 1].Seq);
                    var link = new LinkMerge(batch);
                    while (rawLinks.Read())
                    {
                        link.Add(rawLinks.Int64(0), strings.Get(rawLinks.Utf8(1)), Encoding.UTF8.GetString(rawLinks.Utf8(2)));
                    }

                    await output.WriteAsync(batch, ct);
                }
            }
            else
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                var columns = ExportRow.Columns.Of(reader);
                while (true)
                {
                    var batch = NextBatch(free);
                    while (batch.Count < BatchSize && await reader.ReadAsync(ct))
                    {
                        batch.Next().Read(reader, columns);
                    }

                    if (batch.Count == 0)
                    {
                        break;
                    }

                    await ReadLinksAsync(links, batch, ct);
                    await output.WriteAsync(batch, ct);
                }
            }

            output.TryComplete();
        }
        catch (Exception e)
        {
            output.TryComplete(e);
            throw;
        }
    }

    private static ExportBatch NextBatch(System.Collections.Concurrent.ConcurrentQueue<ExportBatch> free)
    {
        var batch = free.TryDequeue(out var reused) ? reused : new ExportBatch();
        batch.Count = 0;
        return batch;
    }

    /// <summary>A batch of rows, reused: only the first <see cref="Count"/> rows are current.</summary>
    private sealed class ExportBatch
    {
        public List<ExportRow> Rows { get; } = new(BatchSize);

        public int Count { get; set; }

        /// <summary>The next row slot (reused when the batch was used before).</summary>
        public ExportRow Next()
        {
            if (Count == Rows.Count)
            {
                Rows.Add(new ExportRow());
            }

            return Rows[Count++];
        }
    }

    /// <summary>
    /// Hands links (in key order) to the batch's rows (in key order) by walking both; links of assets in the key range
    /// but outside the selection find no row and are skipped.
    /// </summary>
    private struct LinkMerge(ExportBatch batch)
    {
        private int _row;

        public void Add(long seq, string iri, string target)
        {
            while (_row < batch.Count && batch.Rows[_row].Seq < seq)
            {
                _row++;
            }

            if (_row < batch.Count && batch.Rows[_row].Seq == seq)
            {
                batch.Rows[_row].Links.Add((iri, target));
            }
        }
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
            SELECT a.Seq, l.Iri, l.TargetId FROM Assets a CROSS JOIN AssetLinks l ON l.AssetId = a.Id
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
        links.Parameters[0].Value = batch.Rows[0].Seq;
        links.Parameters[1].Value = batch.Rows[batch.Count - 1].Seq;
        await using var reader = await links.ExecuteReaderAsync(ct);
        var link = new LinkMerge(batch);
        while (await reader.ReadAsync(ct))
        {
            link.Add(reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
        }
    }
}
