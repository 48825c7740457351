using System.IO.Compression;
using System.Text;
using Fairlabel.Infrastructure;
using nietras.SeparatedValues;

namespace Fairlabel.Cli.Quality;

/// <summary>
/// An input table read with Sep: CSV (RFC 4180 quoting), or TSV when the name ends in .tsv or
/// .tab, either possibly gzipped (.gz); a header row; \n, \r\n or lone \r line endings (some
/// published data sets use old Mac endings); a UTF-8 byte order mark is skipped. Cells are
/// trimmed and handed out as spans of the reader's buffer, and every problem is reported with
/// the file, the line and the column.
/// </summary>
public sealed class DelimitedFile : IDisposable
{
    private DelimitedFile(SepReader reader, string path)
    {
        Reader = reader;
        Path = path;
        Header = [.. reader.Header.ColNames.Select(name => name.Trim())];
    }

    /// <summary>The file name used in error messages.</summary>
    public string Path { get; }

    /// <summary>The header row's column names.</summary>
    public string[] Header { get; }

    /// <summary>The data rows, read as they are enumerated; pass each to <see cref="IsData"/> first.</summary>
    public SepReader Reader { get; }

    /// <summary>Roughly how many rows the file holds (from its size; 0 when compressed), to size arrays once.</summary>
    public int EstimatedRows { get; private init; }

    public static DelimitedFile Open(string path)
    {
        var compressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        var extension = System.IO.Path.GetExtension(compressed ? path[..^3] : path).ToLowerInvariant();
        var delimiter = extension is ".tsv" or ".tab" ? '\t' : ',';
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var length = file.Length;
        Stream stream = compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
        var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var reader = Sep.Reader(o => o with
        {
            Sep = new Sep(delimiter),
            HasHeader = true,
            Unescape = true,
            Trim = SepTrim.All,
            DisableColCountCheck = true,
        }).From(text);
        if (reader.Header.IsEmpty)
        {
            reader.Dispose();
            throw InputException.OfFile(path, 1, "the file is empty; expected a header row.");
        }

        // About 16 characters per answer row at the least (three short ids and two delimiters).
        return new DelimitedFile(reader, path) { EstimatedRows = compressed ? 0 : (int)Math.Min(length / 16, 1 << 26) };
    }

    /// <summary>
    /// The index of the column named <paramref name="name"/> (case-insensitive), or
    /// <paramref name="defaultIndex"/> when no name is given.
    /// </summary>
    public int Column(string? name, int defaultIndex, string role)
    {
        if (name is null)
        {
            return defaultIndex < Header.Length
                ? defaultIndex
                : throw InputException.OfFile(Path, 1, $"expected at least {defaultIndex + 1} columns (the {role} is column {defaultIndex + 1}), found {Header.Length}.");
        }

        for (var c = 0; c < Header.Length; c++)
        {
            if (string.Equals(Header[c], name, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }

        throw InputException.OfFile(Path, 1, $"no column named '{name}' for the {role}; the header has: {string.Join(", ", Header)}.");
    }

    /// <summary>False for a blank line, which is skipped; throws for a quoted field that is never closed.</summary>
    public bool IsData(SepReader.Row row)
    {
        var raw = row.Span;
        if (raw.IsEmpty)
        {
            return false;
        }

        // Quotes come in pairs in every well-formed row (escaped quotes are doubled); an odd
        // count means a field opened a quote that runs to the end of the file.
        if ((raw.Count('"') & 1) != 0)
        {
            throw Error(row, UnclosedField(raw), "a quoted field is never closed.");
        }

        return true;
    }

    /// <summary>The trimmed text of a cell that must be present and non-empty.</summary>
    public ReadOnlySpan<char> Cell(SepReader.Row row, int column, string role)
    {
        if (column >= row.ColCount)
        {
            throw Error(row, column, $"the row has {row.ColCount} column(s); expected the {role} in column {column + 1}.");
        }

        var text = row[column].Span;
        return text.IsEmpty ? throw Error(row, column, $"the {role} is empty.") : text;
    }

    /// <summary>A problem at a 0-based <paramref name="column"/> of <paramref name="row"/>.</summary>
    public InputException Error(SepReader.Row row, int column, string problem) =>
        new(Path, new LineError(row.LineNumberFrom, column < Header.Length ? Header[column] : "(line)", problem) { Column = column + 1 });

    /// <inheritdoc />
    public void Dispose() => Reader.Dispose();

    // The 0-based field in which the last quote left open starts.
    private int UnclosedField(ReadOnlySpan<char> raw)
    {
        var delimiter = Reader.Spec.Sep.Separator;
        int field = 0, openedIn = 0;
        var quoted = false;
        foreach (var ch in raw)
        {
            if (ch == '"')
            {
                quoted = !quoted;
                openedIn = field;
            }
            else if (ch == delimiter && !quoted)
            {
                field++;
            }
        }

        return openedIn;
    }
}
