using System.Text;
using Fairlabel.Cli.Quality;

namespace Fairlabel.Items;

/// <summary>One data row of a delimited file with the line it starts on.</summary>
public readonly record struct DelimitedRow(int Line, string[] Fields);

/// <summary>
/// Reads CSV (RFC 4180 quoting) or TSV, chosen by file extension, with a header row. Line
/// endings may be \n, \r\n or a lone \r (some published data sets use old Mac endings). Every
/// row remembers its line so later validation can point at the exact cell.
/// </summary>
public sealed class DelimitedReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly char _delimiter;
    private readonly StringBuilder _field = new();
    private int _line = 1;

    /// <summary>Reads <paramref name="reader"/> with the given delimiter; <paramref name="path"/> is only used in messages.</summary>
    public DelimitedReader(TextReader reader, char delimiter, string path)
    {
        _reader = reader;
        _delimiter = delimiter;
        Path = path;
        var header = ReadRecord() ?? throw new InputException(path, 1, 0, "the file is empty; expected a header row.");
        Header = header.Fields;
    }

    /// <summary>The file name used in error messages.</summary>
    public string Path { get; }

    /// <summary>The header row's column names.</summary>
    public string[] Header { get; }

    /// <summary>Opens a file; ".tsv" and ".tab" are tab-separated, anything else comma-separated.</summary>
    public static DelimitedReader Open(string path)
    {
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        var delimiter = extension is ".tsv" or ".tab" ? '\t' : ',';
        return new DelimitedReader(new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true), delimiter, path);
    }

    /// <summary>
    /// The index of the column named <paramref name="name"/> (case-insensitive), or
    /// <paramref name="defaultIndex"/> when no name is given.
    /// </summary>
    public int Column(string? name, int defaultIndex, string role)
    {
        if (name is null)
        {
            if (defaultIndex >= Header.Length)
            {
                throw new InputException(Path, 1, 0, $"expected at least {defaultIndex + 1} columns (the {role} is column {defaultIndex + 1}), found {Header.Length}.");
            }

            return defaultIndex;
        }

        for (var c = 0; c < Header.Length; c++)
        {
            if (string.Equals(Header[c].Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }

        throw new InputException(Path, 1, 0, $"no column named '{name}' for the {role}; the header has: {string.Join(", ", Header)}.");
    }

    /// <summary>The data rows, skipping blank lines.</summary>
    public IEnumerable<DelimitedRow> Rows()
    {
        while (ReadRecord() is { } row)
        {
            if (row.Fields is [""])
            {
                continue;
            }

            yield return row;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();

    private DelimitedRow? ReadRecord()
    {
        var first = _reader.Peek();
        if (first < 0)
        {
            return null;
        }

        var startLine = _line;
        var fields = new List<string>();
        _field.Clear();
        var quoted = false;
        var fieldStarted = false;
        while (true)
        {
            var c = _reader.Read();
            if (c < 0)
            {
                if (quoted)
                {
                    throw new InputException(Path, startLine, fields.Count + 1, "a quoted field is never closed.");
                }

                fields.Add(_field.ToString());
                return new DelimitedRow(startLine, [.. fields]);
            }

            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (_reader.Peek() == '"')
                    {
                        _reader.Read();
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n' || (ch == '\r' && _reader.Peek() != '\n'))
                    {
                        _line++;
                    }

                    _field.Append(ch);
                }

                continue;
            }

            if (ch == '"' && !fieldStarted)
            {
                quoted = true;
                fieldStarted = true;
            }
            else if (ch == _delimiter)
            {
                fields.Add(_field.ToString());
                _field.Clear();
                fieldStarted = false;
            }
            else if (ch == '\r' || ch == '\n')
            {
                if (ch == '\r' && _reader.Peek() == '\n')
                {
                    _reader.Read();
                }

                _line++;
                fields.Add(_field.ToString());
                return new DelimitedRow(startLine, [.. fields]);
            }
            else
            {
                _field.Append(ch);
                fieldStarted = true;
            }
        }
    }
}
