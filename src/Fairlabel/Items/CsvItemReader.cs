using System.Buffers;
using System.Text;
using System.Text.Json;
using Fairlabel.Infrastructure;
using Fairlabel.Projects;
using nietras.SeparatedValues;

namespace Fairlabel.Items;

/// Reads a CSV (or TSV) item file through Sep: a header row, then one item per record. The
/// columns `id`, `source`, `licence`, `consent_basis`, `personal_data`, `minors`, `collected_at`
/// and `sensitivity` say what the item is and where it came from; every other column is a data
/// key with a text value.
public sealed class CsvItemReader(ItemRowBuilder items, int maxRecordLength, char separator = ',')
{
    static readonly string[] ProvenanceColumns =
        ["id", "source", "licence", "consent_basis", "personal_data", "minors", "collected_at", "sensitivity"];

    /// What the decoder puts in place of bytes that are not UTF-8: a noncharacter, which no item
    /// may hold, so that the cell holding it, and its line and column, can be named.
    const char NotUtf8 = '\uFFFF';

    static Encoding StrictUtf8()
    {
        // With a preamble, so that the reader skips a byte order mark without changing encoding.
        var utf8 = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: true).Clone();
        utf8.DecoderFallback = new DecoderReplacementFallback(NotUtf8.ToString());
        return utf8;
    }

    public IEnumerable<(long Line, ItemRow? Row, List<LineError> Errors)> Read(Stream file)
    {
        // The file stays open: it is the caller's, who reads its position for progress.
        var text = new CsvRecordGuard(new StreamReader(file, StrictUtf8(), detectEncodingFromByteOrderMarks: false, 1 << 16,
            leaveOpen: true), maxRecordLength);
        SepReader? csv = null;
        IEnumerator<(long Line, string[]? Cells, List<LineError> Errors)>? records = null;
        Header? header = null;
        try
        {
            while (true)
            {
                LineError? broken = null;
                try
                {
                    // Opened here: the parser reads its first block of the file as it opens.
                    records ??= Records(csv = Sep.Reader(o => o with
                    {
                        Sep = new Sep(separator), HasHeader = false, Unescape = true, DisableColCountCheck = true,
                    }).From(text)).GetEnumerator();
                    if (!records.MoveNext()) break;
                }
                catch (RecordTooLongException e)
                {
                    broken = new LineError(e.Line, "(line)", $"is longer than {e.Limit:N0} characters, the most an item record may hold");
                }
                if (broken is not null)
                {
                    yield return (broken.Line, null, [broken]);
                    yield break; // the rest of the record would have to be read to find the next one
                }
                var (line, row, errors) = records!.Current;
                if (header is null)
                {
                    header = new Header(row ?? [], items.KeysShown);
                    if (errors.Count == 0) errors = header.Errors;
                    if (errors.Count > 0)
                    {
                        yield return (1, null, errors);
                        yield break;
                    }
                    continue;
                }
                if (errors.Count > 0 || row is null)
                {
                    yield return (line, null, errors);
                    if (errors.Exists(e => e.Message == UnclosedQuote)) yield break;
                    continue;
                }
                yield return Item(line, row, header);
            }
        }
        finally
        {
            records?.Dispose();
            csv?.Dispose();
            text.Dispose();
        }
        if (header is null) yield return (1, null, [new LineError(1, "(file)", "the file is empty; expected a header row")]);
    }

    const string UnclosedQuote = "a quoted field is never closed";

    /// The records as cells, or the error that keeps a record from being read (bytes that are not
    /// UTF-8, an unclosed quote); blank lines are skipped.
    static IEnumerable<(long Line, string[]? Cells, List<LineError> Errors)> Records(SepReader csv)
    {
        foreach (var record in csv)
        {
            var raw = record.Span;
            if (record.ColCount == 1 && raw.Length == 0) continue;
            long line = record.LineNumberFrom;
            var errors = new List<LineError>();
            if (raw.IndexOf(NotUtf8) is var bad and >= 0)
            {
                var before = raw[..bad];
                var lineStart = before.LastIndexOfAny('\n', '\r') + 1;
                errors.Add(new LineError(line + before.Count('\n'), "(line)", "is not UTF-8 text: save the file as UTF-8")
                    { Column = bad - lineStart + 1 });
            }
            // The parser takes an unclosed quote to run to the end of the file: an odd number of
            // quote characters can only be the last record.
            if (raw.Count('"') % 2 == 1)
                errors.Add(new LineError(line, "(line)", UnclosedQuote) { Column = record.ColCount });
            if (errors.Count > 0)
            {
                yield return (line, null, errors);
                continue;
            }
            var cells = new string[record.ColCount];
            for (var i = 0; i < cells.Length; i++) cells[i] = record[i].ToString();
            yield return (line, cells, errors);
        }
    }

    (long, ItemRow?, List<LineError>) Item(long line, string[] cells, Header header)
    {
        var errors = new List<LineError>();
        if (cells.Length != header.Names.Length)
        {
            errors.Add(new LineError(line, "(line)", $"has {cells.Length} columns; the header has {header.Names.Length}"));
            return (line, null, errors);
        }
        string? Column(string name) => header.IndexOf(name) is var i and >= 0 && cells[i].Length > 0 ? cells[i] : null;
        bool? Flag(string name)
        {
            var v = Column(name);
            if (v is null) return null;
            if (bool.TryParse(v, out var b)) return b;
            if (v is "0" or "1") return v == "1";
            errors.Add(new LineError(line, name, "must be true or false") { Column = header.IndexOf(name) + 1 });
            return null;
        }
        foreach (var (i, fieldType) in header.Shown)
            if (ItemDataRules.ProblemWithText(fieldType, cells[i]) is { } problem)
                errors.Add(new LineError(line, header.Names[i], problem) { Column = i + 1 });
        var sensitivity = Column("sensitivity")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var row = items.Build(line, Column("id"), header.Data(cells), null, Column("source"), Column("licence"),
            Column("consent_basis"), Flag("personal_data"), Flag("minors"), sensitivity, Column("collected_at"), "", errors);
        return (line, errors.Count == 0 ? row : null, errors);
    }

    /// The header row: its column names, which of them are data, and what the template needs of them.
    sealed class Header
    {
        public readonly string[] Names;
        public readonly List<LineError> Errors = [];
        /// Columns a template field shows, with the field's type: their cells are checked.
        public readonly List<(int Column, string FieldType)> Shown = [];
        readonly (int Column, JsonEncodedText Key)[] _data;
        readonly ArrayBufferWriter<byte> _buffer = new(1024);
        readonly Utf8JsonWriter _json;

        public Header(string[] cells, (string Key, TemplateField Field)[] keysShown)
        {
            Names = [.. cells.Select(c => c.Trim())];
            _json = new Utf8JsonWriter(_buffer);
            if (!Names.Contains("id")) Errors.Add(new LineError(1, "id", "the header row needs an 'id' column"));
            if (Names.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1) is { } twice)
                Errors.Add(new LineError(1, twice.Key, "appears twice in the header row"));
            _data = [.. Names.Select((name, i) => (i, name)).Where(c => !ProvenanceColumns.Contains(c.name))
                .Select(c => (c.i, JsonEncodedText.Encode(c.name)))];
            foreach (var (key, field) in keysShown)
            {
                var column = Array.IndexOf(Names, key);
                if (field.Type == FieldTypes.Chat)
                    Errors.Add(new LineError(1, key, $"feeds the chat field '{field.Id}', which a CSV cell cannot hold: import JSON lines"));
                else if (column < 0 || ProvenanceColumns.Contains(key))
                    Errors.Add(new LineError(1, key, $"is a column the template's field '{field.Id}' shows; the header row lacks it"));
                else if (field.Type is FieldTypes.Image or FieldTypes.Url) Shown.Add((column, field.Type));
            }
        }

        public int IndexOf(string name) => Array.IndexOf(Names, name);

        /// The data columns of a record as a JSON object of text values.
        public string Data(string[] cells)
        {
            _buffer.ResetWrittenCount();
            _json.Reset();
            _json.WriteStartObject();
            foreach (var (column, key) in _data) _json.WriteString(key, cells[column]);
            _json.WriteEndObject();
            _json.Flush();
            return Encoding.UTF8.GetString(_buffer.WrittenSpan);
        }
    }
}
