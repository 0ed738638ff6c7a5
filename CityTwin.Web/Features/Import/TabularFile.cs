using System.Globalization;
using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;

namespace CityTwin.Web.Features.Import;

/// <summary>One record of a CSV file or one feature of a GeoJSON file; read its cells with <see cref="TabularFile.Cell"/>.</summary>
public sealed class TabularRow
{
    private readonly string?[]? _cells;
    private readonly CellArena? _arena;
    private readonly int _firstCell;

    public TabularRow(int number, string?[] cells, JsonElement? geometry, string? featureId)
    {
        Number = number;
        _cells = cells;
        CellCount = cells.Length;
        Geometry = geometry;
        FeatureId = featureId;
    }

    internal TabularRow(int number, CellArena arena, int firstCell, int cellCount, int sourceCells)
    {
        Number = number;
        _arena = arena;
        _firstCell = firstCell;
        CellCount = cellCount;
        SourceCellCount = sourceCells;
    }

    /// <summary>CSV: the number of cells on the line as written (it may differ from the header's); -1 for GeoJSON.</summary>
    public int SourceCellCount { get; } = -1;

    /// <summary>CSV: a cell beyond the header's columns holds a value (a shifted row, e.g. an unquoted delimiter).</summary>
    public bool HasValuesBeyondHeader { get; init; }

    /// <summary>The spreadsheet line (CSV, header = line 1) or the 1-based feature number (GeoJSON).</summary>
    public int Number { get; }

    public int CellCount { get; }

    public JsonElement? Geometry { get; }

    public string? FeatureId { get; }

    /// <summary>The text of cell <paramref name="i"/>, null when empty or missing (CSV cells become strings only when asked for).</summary>
    public string? CellAt(int i) => i < 0 || i >= CellCount ? null : _cells is not null ? _cells[i] : _arena!.Text(_firstCell + i);
}

/// <summary>
/// The unquoted text of every CSV cell, copied into large shared character chunks and addressed by (chunk, offset,
/// length): reading a file creates a handful of arrays instead of one string per cell, so a 100 MB file parses at the
/// speed of the CSV reader, not of the garbage collector.
/// </summary>
internal sealed class CellArena
{
    private const int ChunkSize = 1 << 20;
    private readonly List<char[]> _chunks;
    private int _used;
    private int[] _refs;
    private int _cells;

    /// <summary>Sized from the file: about one cell per 12 bytes, one character per byte.</summary>
    public CellArena(int fileBytes)
    {
        _chunks = [new char[Math.Clamp(fileBytes, 1024, ChunkSize)]];
        _refs = new int[3 * Math.Clamp(fileBytes / 12, 1024, 1 << 24)];
    }

    public int Count => _cells;

    public void Add(ReadOnlySpan<char> text)
    {
        if (3 * (_cells + 1) > _refs.Length)
        {
            Array.Resize(ref _refs, _refs.Length * 2);
        }

        var at = 3 * _cells++;
        if (text.IsEmpty)
        {
            _refs[at + 2] = -1;
            return;
        }

        if (_used + text.Length > _chunks[^1].Length)
        {
            _chunks.Add(new char[Math.Max(ChunkSize, text.Length)]);
            _used = 0;
        }

        text.CopyTo(_chunks[^1].AsSpan(_used));
        (_refs[at], _refs[at + 1], _refs[at + 2]) = (_chunks.Count - 1, _used, text.Length);
        _used += text.Length;
    }

    public string? Text(int cell)
    {
        var at = 3 * cell;
        return _refs[at + 2] < 0 ? null : new string(_chunks[_refs[at]], _refs[at + 1], _refs[at + 2]);
    }
}

/// <summary>
/// A CSV or GeoJSON file read into columns and rows, with what was detected (encoding, delimiter, declared CRS).
/// CSV: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (a superset of ISO-8859-1 for text);
/// delimiter , ; tab or | by consistency over the first lines; quoted fields (Sep).
/// </summary>
public sealed class TabularFile
{
    static TabularFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private TabularFile(IReadOnlyList<string> columns, IReadOnlyList<TabularRow> rows)
    {
        Columns = columns;
        Rows = rows;
        _index = columns.Select((c, i) => (c, i)).GroupBy(x => x.c, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
    }

    private readonly Dictionary<string, int> _index;

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<TabularRow> Rows { get; }

    public string? EncodingName { get; private init; }

    public char? Delimiter { get; private init; }

    /// <summary>The CRS the file declares (GeoJSON legacy <c>crs</c> member), if any.</summary>
    public string? DeclaredCrs { get; private init; }

    public int IndexOf(string column) => _index.TryGetValue(column, out var i) ? i : -1;

    public string? Cell(TabularRow row, string? column)
    {
        ArgumentNullException.ThrowIfNull(row);
        return column is not null && _index.TryGetValue(column, out var i) ? row.CellAt(i) : null;
    }

    public static TabularFile Read(ImportFormat format, ReadOnlyMemory<byte> bytes) => format switch
    {
        ImportFormat.Csv => ReadCsv(bytes),
        ImportFormat.GeoJson => ReadGeoJson(bytes),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Only CSV and GeoJSON are tabular."),
    };

    /// <summary>The delimiter that splits the first lines (outside quotes) into the same, largest number of fields.</summary>
    public static char DetectDelimiter(string text)
    {
        var lines = new List<string>();
        var start = 0;
        var inQuotes = false;
        for (var i = 0; i < text.Length && lines.Count < 20; i++)
        {
            if (text[i] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (text[i] == '\n' && !inQuotes)
            {
                lines.Add(text[start..i]);
                start = i + 1;
            }
        }

        if (lines.Count < 20 && start < text.Length)
        {
            lines.Add(text[start..]);
        }

        var best = ',';
        var bestScore = -1;
        foreach (var candidate in new[] { ',', ';', '\t', '|' })
        {
            var counts = lines.Where(l => l.Trim().Length > 0).Select(l => CountOutsideQuotes(l, candidate)).ToList();
            if (counts.Count == 0 || counts[0] == 0)
            {
                continue;
            }

            var consistent = counts.Count(c => c == counts[0]);
            var score = (consistent * 1000) + counts[0];
            if (score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        return best;
    }

    private static int CountOutsideQuotes(string line, char delimiter)
    {
        var count = 0;
        var inQuotes = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (c == delimiter && !inQuotes)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// The encoding of a CSV file: a BOM decides; else bytes that are valid UTF-8 are UTF-8, anything else is
    /// Windows-1252 (which reads ISO-8859-1 text the same). Returns the encoding, its name and the BOM length.
    /// </summary>
    private static (Encoding Encoding, string Name, int Preamble) DetectEncoding(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            return (new UTF8Encoding(false), "UTF-8 with BOM", 3);
        }

        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
        {
            return (new UnicodeEncoding(bigEndian: false, byteOrderMark: false), "UTF-16 LE", 2);
        }

        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
        {
            return (new UnicodeEncoding(bigEndian: true, byteOrderMark: false), "UTF-16 BE", 2);
        }

        return System.Text.Unicode.Utf8.IsValid(bytes)
            ? (new UTF8Encoding(false), "UTF-8", 0)
            : (Encoding.GetEncoding(1252), "Windows-1252 / ISO-8859-1", 0);
    }

    /// <summary>
    /// Reads a CSV file straight from its bytes (no decoded copy of the whole file): Sep unquotes the fields, short
    /// repeated values (types, statuses, codes) share one string per column, empty cells stay null.
    /// </summary>
    private static TabularFile ReadCsv(ReadOnlyMemory<byte> bytes)
    {
        var (encoding, encodingName, preamble) = DetectEncoding(bytes.Span);
        var body = bytes[preamble..];
        if (preamble < 2 && body.Span.IndexOf((byte)0) >= 0)
        {
            throw new ImportFileException("The file is binary, not CSV text.");
        }

        // The delimiter from the first lines only.
        var head = encoding.GetString(body.Span[..Math.Min(body.Length, 64 * 1024)]);
        if (string.IsNullOrWhiteSpace(head))
        {
            throw new ImportFileException("The file is empty.");
        }

        var delimiter = DetectDelimiter(head);
        var rows = new List<TabularRow>();
        string[] columns;
        try
        {
            using var text = new StreamReader(new ReadOnlyMemoryStream(body), encoding, detectEncodingFromByteOrderMarks: false);
            using var reader = Sep.Reader(o => o with
            {
                Sep = new Sep(delimiter), Unescape = true, DisableColCountCheck = true, CultureInfo = CultureInfo.InvariantCulture,
            }).From(text);
            columns = [.. reader.Header.ColNames.Select(c => c.Trim())];
            if (columns.Length == 0 || columns.All(string.IsNullOrWhiteSpace))
            {
                throw new ImportFileException("The first line holds no column names.");
            }

            var duplicate = columns.Where(c => c.Length > 0).GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new ImportFileException($"The column name '{duplicate.Key}' appears twice in the header.");
            }

            var arena = new CellArena(body.Length);
            foreach (var row in reader)
            {
                var first = arena.Count;
                var count = Math.Max(row.ColCount, columns.Length);
                var allEmpty = true;
                var beyond = false;
                for (var i = 0; i < count; i++)
                {
                    var cell = i < row.ColCount ? row[i].Span : default;
                    arena.Add(cell);
                    allEmpty &= cell.IsWhiteSpace();
                    beyond |= i >= columns.Length && !cell.IsWhiteSpace();
                }

                if (!allEmpty)
                {
                    rows.Add(new TabularRow(row.LineNumberFrom, arena, first, count, row.ColCount) { HasValuesBeyondHeader = beyond });
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new ImportFileException($"The CSV file cannot be read: {e.Message}");
        }

        return new TabularFile(columns, rows) { EncodingName = encodingName, Delimiter = delimiter };
    }

    /// <summary>A read-only stream over memory the caller owns (no copy).</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => memory.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, memory.Length - _position);
            memory.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static TabularFile ReadGeoJson(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Span.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new ImportFileException($"The file is not valid JSON: {e.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) ? t.GetString() : null;
            IEnumerable<JsonElement> features = type switch
            {
                "FeatureCollection" when root.TryGetProperty("features", out var f) && f.ValueKind == JsonValueKind.Array => f.EnumerateArray(),
                "Feature" => [root],
                _ => throw new ImportFileException("A GeoJSON file holds a FeatureCollection (or a single Feature)."),
            };
            string? crs = null;
            if (root.TryGetProperty("crs", out var crsElement) && crsElement.ValueKind == JsonValueKind.Object &&
                crsElement.TryGetProperty("properties", out var props) && props.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                crs = name.GetString();
            }

            var list = features.Select(f => f.Clone()).ToList();
            var columns = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var feature in list)
            {
                if (feature.ValueKind == JsonValueKind.Object && feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
                {
                    foreach (var prop in p.EnumerateObject())
                    {
                        if (seen.Add(prop.Name))
                        {
                            columns.Add(prop.Name);
                        }
                    }
                }
            }

            var index = columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
            var rows = new List<TabularRow>(list.Count);
            for (var n = 0; n < list.Count; n++)
            {
                var feature = list[n];
                var cells = new string?[columns.Count];
                JsonElement? geometry = null;
                string? id = null;
                if (feature.ValueKind == JsonValueKind.Object)
                {
                    if (feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var prop in p.EnumerateObject())
                        {
                            cells[index[prop.Name]] = prop.Value.ValueKind switch
                            {
                                JsonValueKind.String => prop.Value.GetString(),
                                JsonValueKind.Object when prop.Value.TryGetProperty("@value", out var literal) =>
                                    literal.ValueKind == JsonValueKind.String ? literal.GetString() : literal.GetRawText(),
                                JsonValueKind.Null or JsonValueKind.Undefined => null,
                                _ => prop.Value.GetRawText(),
                            };
                        }
                    }

                    if (feature.TryGetProperty("geometry", out var g) && g.ValueKind == JsonValueKind.Object)
                    {
                        geometry = g;
                    }

                    if (feature.TryGetProperty("id", out var fid) && fid.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    {
                        id = fid.ValueKind == JsonValueKind.String ? fid.GetString() : fid.GetRawText();
                    }
                }

                rows.Add(new TabularRow(n + 1, cells, geometry, id));
            }

            return new TabularFile(columns, rows) { EncodingName = "UTF-8", DeclaredCrs = crs };
        }
    }
}
