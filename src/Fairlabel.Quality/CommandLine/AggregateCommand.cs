using System.Globalization;

namespace Fairlabel.Quality.CommandLine;

/// <summary>
/// fairlabel aggregate --method M --input answers.csv [--truth truth.csv] [--output labels.csv]
/// [--item-column N --worker-column N --answer-column N --truth-item-column N --truth-column N]
/// </summary>
internal static class AggregateCommand
{
    private static readonly string[] Known = ["method", "input", "truth", "output", "item-column", "worker-column", "answer-column", "truth-item-column", "truth-column"];

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        var options = CommandOptions.Parse(args, Known);
        var method = options.Required("method");
        var input = options.Required("input");
        var columns = new ColumnNames(options.Get("item-column"), options.Get("worker-column"), options.Get("answer-column"));
        if (Categorical.Methods.Contains(method))
        {
            RunCategorical(method, input, columns, options, stdout);
        }
        else if (Numeric.Methods.Contains(method))
        {
            RunNumeric(method, input, columns, options, stdout);
        }
        else
        {
            throw new UsageException($"unknown --method '{method}'; expected one of {string.Join(", ", Categorical.Methods.Concat(Numeric.Methods))}.");
        }

        return 0;
    }

    private static void RunCategorical(string method, string input, ColumnNames columns, CommandOptions options, TextWriter stdout)
    {
        var answers = InputFiles.ReadCategorical(input, columns);
        var truth = options.Get("truth") is { } truthPath ? InputFiles.ReadTruth(truthPath, options.Get("truth-item-column"), options.Get("truth-column")) : null;
        var result = Categorical.Aggregate(method, answers);
        CsvOutput.WriteTo(options.Get("output"), stdout, Rows(answers, result));
        if (truth is not null)
        {
            var score = Gold.Accuracy(result, answers, truth);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy: {score.Accuracy:F4} ({score.Items} gold items)"));
        }
    }

    private static void RunNumeric(string method, string input, ColumnNames columns, CommandOptions options, TextWriter stdout)
    {
        var answers = InputFiles.ReadNumeric(input, columns);
        var truth = options.Get("truth") is { } truthPath ? InputFiles.ReadNumericTruth(truthPath, options.Get("truth-item-column"), options.Get("truth-column")) : null;
        var result = Numeric.Aggregate(method, answers);
        var rows = new List<string[]> { new[] { "item", "value" } };
        for (var i = 0; i < answers.ItemCount; i++)
        {
            rows.Add([answers.ItemIds[i], CsvOutput.Number(result.Value[i])]);
        }

        CsvOutput.WriteTo(options.Get("output"), stdout, rows);
        if (truth is not null)
        {
            var error = Gold.Error(result, answers, truth);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mae: {error.MeanAbsoluteError:F4} rmse: {error.RootMeanSquaredError:F4} ({error.Items} gold items)"));
        }
    }

    private static IEnumerable<string[]> Rows(CrowdAnswers answers, CategoricalResult result)
    {
        yield return ["item", "label", "confidence"];
        for (var i = 0; i < answers.ItemCount; i++)
        {
            yield return result.Label[i] < 0
                ? [answers.ItemIds[i], "", ""]
                : [answers.ItemIds[i], answers.Labels[result.Label[i]], CsvOutput.Number(result.Confidence[i])];
        }
    }
}
