using System.Globalization;
using System.Text;
using CityTwin.Domain.Assets;

namespace CityTwin.Web.Features.Interop;

/// <summary>The CSV writer (RFC 4180, formula-safe cells).</summary>
public sealed partial class ExportService
{
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
                .Number(r.ExpectedLifeYears).Number(visibility.Visible(LifecycleIri.ReplacementCost) ? r.ReplacementCost : null, null)
                .Number(visibility.Visible(LifecycleIri.Criticality) ? r.Criticality : null);
            if (!request.PublicOnly)
            {
                line.Text(r.Department);
            }

            line.Text(r.DistrictCode).Text(visibility.Visible(LifecycleIri.Address) ? r.Address : null);
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
}
