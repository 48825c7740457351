using System.Globalization;
using System.Text;

namespace Fairlabel.Cli.Quality;

/// <summary>Writes result tables as CSV, quoting only cells that need it.</summary>
internal sealed class CsvOutput : IDisposable
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private bool _firstCell = true;

    private CsvOutput(TextWriter writer, bool ownsWriter)
    {
        _writer = writer;
        _ownsWriter = ownsWriter;
    }

    /// <summary>
    /// A table to <paramref name="path"/>, or to <paramref name="output"/> when no path is given.
    /// The console's own writer flushes on every write, so a table for the console goes through
    /// a buffered writer on standard output instead (flushed when this is disposed).
    /// </summary>
    public static CsvOutput Open(string? path, TextWriter output)
    {
        if (path is not null)
        {
            return new CsvOutput(new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16), ownsWriter: true);
        }

        return ReferenceEquals(output, Console.Out)
            ? new CsvOutput(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), bufferSize: 1 << 16), ownsWriter: false)
            : new CsvOutput(output, ownsWriter: false);
    }

    public void Cell(ReadOnlySpan<char> text)
    {
        Separate();
        if (text.IndexOfAny(",\"\r\n") < 0)
        {
            _writer.Write(text);
            return;
        }

        _writer.Write('"');
        _writer.Write(text.ToString().Replace("\"", "\"\"", StringComparison.Ordinal));
        _writer.Write('"');
    }

    /// <summary>A number in its shortest round-trip form; NaN as an empty cell.</summary>
    public void Cell(double value)
    {
        Separate();
        Span<char> buffer = stackalloc char[32];
        if (!double.IsNaN(value) && value.TryFormat(buffer, out var written, "R", CultureInfo.InvariantCulture))
        {
            _writer.Write(buffer[..written]);
        }
    }

    public void Cell(int value)
    {
        Separate();
        Span<char> buffer = stackalloc char[11];
        value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture);
        _writer.Write(buffer[..written]);
    }

    public void Row(params ReadOnlySpan<string> cells)
    {
        foreach (var cell in cells)
        {
            Cell(cell);
        }

        EndRow();
    }

    public void EndRow()
    {
        _writer.Write('\n');
        _firstCell = true;
    }

    public void Dispose()
    {
        if (_ownsWriter)
        {
            _writer.Dispose();
        }
        else
        {
            _writer.Flush();
        }
    }

    private void Separate()
    {
        if (!_firstCell)
        {
            _writer.Write(',');
        }

        _firstCell = false;
    }
}
