using System.Globalization;
using Fairlabel.Quality;

namespace Fairlabel.Cli.Quality;

/// <summary>
/// Reads the quality verbs' input files into the library's dense types, validating every cell
/// and reporting the first problem with its line and column. Answers go from the reader's
/// buffer straight into the id maps: a string is made only for an id not seen before.
/// </summary>
public static class InputFiles
{
    /// <summary>Reads categorical (item, worker, answer) rows.</summary>
    public static CrowdAnswers ReadCategorical(string path, ColumnNames columns)
    {
        using var file = DelimitedFile.Open(path);
        var (item, worker, answer) = AnswerColumns(file, columns);
        var answers = new CrowdAnswersBuilder(file.EstimatedRows);
        foreach (var row in file.Reader)
        {
            if (file.IsData(row))
            {
                answers.Add(file.Cell(row, item, "item"), file.Cell(row, worker, "worker"), file.Cell(row, answer, "answer"));
            }
        }

        return answers.Count > 0 ? answers.Build() : throw NoAnswers(file);
    }

    /// <summary>Reads numeric (item, worker, answer) rows; a non-numeric answer is an error.</summary>
    public static NumericAnswers ReadNumeric(string path, ColumnNames columns)
    {
        using var file = DelimitedFile.Open(path);
        var (item, worker, answer) = AnswerColumns(file, columns);
        var triples = new List<(string, string, double)>();
        foreach (var row in file.Reader)
        {
            if (file.IsData(row))
            {
                triples.Add((file.Cell(row, item, "item").ToString(), file.Cell(row, worker, "worker").ToString(), Number(file, row, answer, "answer")));
            }
        }

        return triples.Count > 0 ? NumericAnswers.FromTriples(triples) : throw NoAnswers(file);
    }

    /// <summary>Reads gold answers (by default the first two columns: item, truth).</summary>
    public static Dictionary<string, string> ReadTruth(string path, string? itemColumn = null, string? truthColumn = null)
    {
        using var file = DelimitedFile.Open(path);
        var item = file.Column(itemColumn, 0, "item");
        var truth = file.Column(truthColumn, 1, "truth");
        var gold = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in file.Reader)
        {
            if (!file.IsData(row))
            {
                continue;
            }

            var id = file.Cell(row, item, "item").ToString();
            var value = file.Cell(row, truth, "truth").ToString();
            // A file may repeat an item's gold on every row (the Snow et al. layout); it must agree.
            if (gold.TryGetValue(id, out var earlier) && earlier != value)
            {
                throw file.Error(row, truth, $"item '{id}' has truth '{value}' here but '{earlier}' earlier.");
            }

            gold[id] = value;
        }

        return gold;
    }

    /// <summary>Reads numeric gold answers.</summary>
    public static Dictionary<string, double> ReadNumericTruth(string path, string? itemColumn = null, string? truthColumn = null)
    {
        using var file = DelimitedFile.Open(path);
        var item = file.Column(itemColumn, 0, "item");
        var truth = file.Column(truthColumn, 1, "truth");
        var gold = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var row in file.Reader)
        {
            if (file.IsData(row))
            {
                gold[file.Cell(row, item, "item").ToString()] = Number(file, row, truth, "truth");
            }
        }

        return gold;
    }

    /// <summary>Reads pairwise comparisons; the winner column holds left, right or tie.</summary>
    public static PairwiseComparisons ReadComparisons(string path, string left = "left", string right = "right", string winner = "winner")
    {
        using var file = DelimitedFile.Open(path);
        var leftColumn = file.Column(left, 0, "left item");
        var rightColumn = file.Column(right, 0, "right item");
        var winnerColumn = file.Column(winner, 0, "winner");
        var rows = new List<(string, string, PairwiseOutcome)>();
        foreach (var row in file.Reader)
        {
            if (!file.IsData(row))
            {
                continue;
            }

            var cell = file.Cell(row, winnerColumn, "winner");
            var outcome = cell.Equals("left", StringComparison.OrdinalIgnoreCase) ? PairwiseOutcome.Left
                : cell.Equals("right", StringComparison.OrdinalIgnoreCase) ? PairwiseOutcome.Right
                : cell.Equals("tie", StringComparison.OrdinalIgnoreCase) ? PairwiseOutcome.Tie
                : throw file.Error(row, winnerColumn, $"winner must be left, right or tie, not '{cell.ToString().ToLowerInvariant()}'.");
            rows.Add((file.Cell(row, leftColumn, "left item").ToString(), file.Cell(row, rightColumn, "right item").ToString(), outcome));
        }

        return PairwiseComparisons.FromTriples(rows);
    }

    private static (int Item, int Worker, int Answer) AnswerColumns(DelimitedFile file, ColumnNames columns) =>
        (file.Column(columns.Item, 0, "item"), file.Column(columns.Worker, 1, "worker"), file.Column(columns.Answer, 2, "answer"));

    private static InputException NoAnswers(DelimitedFile file) => InputException.OfFile(file.Path, 2, "no answers after the header row.");

    private static double Number(DelimitedFile file, nietras.SeparatedValues.SepReader.Row row, int column, string role)
    {
        var text = file.Cell(row, column, role);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw file.Error(row, column, $"expected a number, found '{text}'.");
    }
}
