using System.Globalization;

namespace Fairlabel.Quality.CommandLine;

/// <summary>Writes result tables as CSV, quoting only cells that need it.</summary>
internal static class CsvOutput
{
    public static void Write(TextWriter writer, IEnumerable<string[]> rows)
    {
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                if (c > 0)
                {
                    writer.Write(',');
                }

                writer.Write(Quote(row[c]));
            }

            writer.Write('\n');
        }
    }

    /// <summary>Writes to <paramref name="path"/>, or to <paramref name="stdout"/> when no path is given.</summary>
    public static void WriteTo(string? path, TextWriter stdout, IEnumerable<string[]> rows)
    {
        if (path is null)
        {
            Write(stdout, rows);
            return;
        }

        using var file = new StreamWriter(path);
        Write(file, rows);
    }

    public static string Number(double value) =>
        double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
