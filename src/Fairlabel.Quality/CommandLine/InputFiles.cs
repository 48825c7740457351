using System.Globalization;

namespace Fairlabel.Quality.CommandLine;

/// <summary>
/// Reads the command line's input files into the library's dense types, validating every cell
/// and reporting the first problem with its line and column.
/// </summary>
public static class InputFiles
{
    /// <summary>Reads categorical (item, worker, answer) rows.</summary>
    public static CrowdAnswers ReadCategorical(string path, ColumnNames columns) =>
        CrowdAnswers.FromTriples(ReadCells(path, columns, (reader, row, column, text) => text));

    /// <summary>Reads numeric (item, worker, answer) rows; a non-numeric answer is an error.</summary>
    public static NumericAnswers ReadNumeric(string path, ColumnNames columns) =>
        NumericAnswers.FromTriples(ReadCells(path, columns, (reader, row, column, text) => ParseNumber(reader.Path, row.Line, column, text)));

    /// <summary>Reads gold answers (by default the first two columns: item, truth).</summary>
    public static Dictionary<string, string> ReadTruth(string path, string? itemColumn = null, string? truthColumn = null)
    {
        using var reader = DelimitedReader.Open(path);
        var item = reader.Column(itemColumn, 0, "item");
        var truth = reader.Column(truthColumn, 1, "truth");
        var gold = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in reader.Rows())
        {
            var id = Cell(reader, row, item, "item");
            var value = Cell(reader, row, truth, "truth");
            // A file may repeat an item's gold on every row (the Snow et al. layout); it must agree.
            if (gold.TryGetValue(id, out var earlier) && earlier != value)
            {
                throw new InputException(reader.Path, row.Line, truth + 1, $"item '{id}' has truth '{value}' here but '{earlier}' earlier.");
            }

            gold[id] = value;
        }

        return gold;
    }

    /// <summary>Reads numeric gold answers.</summary>
    public static Dictionary<string, double> ReadNumericTruth(string path, string? itemColumn = null, string? truthColumn = null)
    {
        using var reader = DelimitedReader.Open(path);
        var item = reader.Column(itemColumn, 0, "item");
        var truth = reader.Column(truthColumn, 1, "truth");
        var gold = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var row in reader.Rows())
        {
            gold[Cell(reader, row, item, "item")] = ParseNumber(reader.Path, row.Line, truth + 1, Cell(reader, row, truth, "truth"));
        }

        return gold;
    }

    /// <summary>Reads pairwise comparisons; the winner column holds left, right or tie.</summary>
    public static PairwiseComparisons ReadComparisons(string path, string left = "left", string right = "right", string winner = "winner")
    {
        using var reader = DelimitedReader.Open(path);
        var leftColumn = reader.Column(left, 0, "left item");
        var rightColumn = reader.Column(right, 0, "right item");
        var winnerColumn = reader.Column(winner, 0, "winner");
        var rows = new List<(string, string, PairwiseOutcome)>();
        foreach (var row in reader.Rows())
        {
            var outcome = Cell(reader, row, winnerColumn, "winner").ToLowerInvariant() switch
            {
                "left" => PairwiseOutcome.Left,
                "right" => PairwiseOutcome.Right,
                "tie" => PairwiseOutcome.Tie,
                var other => throw new InputException(reader.Path, row.Line, winnerColumn + 1, $"winner must be left, right or tie, not '{other}'."),
            };
            rows.Add((Cell(reader, row, leftColumn, "left item"), Cell(reader, row, rightColumn, "right item"), outcome));
        }

        return PairwiseComparisons.FromTriples(rows);
    }

    private static List<(string, string, T)> ReadCells<T>(string path, ColumnNames columns, Func<DelimitedReader, DelimitedRow, int, string, T> parse)
    {
        using var reader = DelimitedReader.Open(path);
        var item = reader.Column(columns.Item, 0, "item");
        var worker = reader.Column(columns.Worker, 1, "worker");
        var answer = reader.Column(columns.Answer, 2, "answer");
        var triples = new List<(string, string, T)>();
        foreach (var row in reader.Rows())
        {
            triples.Add((Cell(reader, row, item, "item"), Cell(reader, row, worker, "worker"), parse(reader, row, answer + 1, Cell(reader, row, answer, "answer"))));
        }

        if (triples.Count == 0)
        {
            throw new InputException(reader.Path, 2, 0, "no answers after the header row.");
        }

        return triples;
    }

    private static string Cell(DelimitedReader reader, DelimitedRow row, int column, string role)
    {
        if (column >= row.Fields.Length)
        {
            throw new InputException(reader.Path, row.Line, column + 1, $"the row has {row.Fields.Length} column(s); expected the {role} in column {column + 1}.");
        }

        var text = row.Fields[column].Trim();
        if (text.Length == 0)
        {
            throw new InputException(reader.Path, row.Line, column + 1, $"the {role} is empty.");
        }

        return text;
    }

    private static double ParseNumber(string path, int line, int column, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new InputException(path, line, column, $"expected a number, found '{text}'.");
}
