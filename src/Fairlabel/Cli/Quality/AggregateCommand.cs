using System.CommandLine;
using System.Globalization;
using Fairlabel.Quality;

namespace Fairlabel.Cli.Quality;

/// <summary><c>fairlabel aggregate</c>: one label (or value) per item from a file of crowd answers.</summary>
internal static class AggregateCommand
{
    public static Command Create()
    {
        var method = new Option<string>("--method")
        {
            Description = "Categorical: mv, wawa, ds (Dawid–Skene), onecoin-ds, glad, mace. Numeric: mean, median, weighted.",
            HelpName = "method",
            Required = true,
        };
        method.AcceptOnlyFromAmong([.. Categorical.Methods, .. Numeric.Methods]);
        var input = QualityOptions.InputFile("Answers: CSV, or TSV when the name ends in .tsv (either may be .gz), with a header row.");
        var truth = QualityOptions.ExistingFile("--truth", "Gold answers (item, truth); prints the accuracy (or MAE and RMSE) on gold items that have answers.");
        var output = QualityOptions.Output("Where to write item,label,confidence (numeric: item,value); standard output by default.");
        var columns = QualityOptions.AnswerColumns();
        var truthItem = QualityOptions.Column("--truth-item-column", "the item in the truth file (default: its first column)");
        var truthColumn = QualityOptions.Column("--truth-column", "the gold answer in the truth file (default: its second column)");

        var command = new Command("aggregate", "Infer each item's label (or value) from its answers, offline, on files.")
        {
            method, input, truth, output, columns.Item, columns.Worker, columns.Answer, truthItem, truthColumn,
        };
        command.SetAction(result => QualityVerbs.Run(result, stdout =>
        {
            var name = result.GetRequiredValue(method);
            var answerColumns = columns.Read(result);
            var truthFile = result.GetValue(truth)?.FullName;
            var outputPath = result.GetValue(output)?.FullName;
            var inputPath = result.GetRequiredValue(input).FullName;
            if (Categorical.Methods.Contains(name))
            {
                // Categorical answers cost no string per row, so what a run allocates follows
                // the file's size; numeric ones are read as strings and keep their collector.
                CollectionHold.ForInput(inputPath);
                try
                {
                    RunCategorical(name, inputPath, answerColumns, truthFile, result.GetValue(truthItem), result.GetValue(truthColumn), outputPath, stdout);
                }
                finally
                {
                    CollectionHold.End();
                }
            }
            else
            {
                RunNumeric(name, inputPath, answerColumns, truthFile, result.GetValue(truthItem), result.GetValue(truthColumn), outputPath, stdout);
            }
        }));
        return command;
    }

    private static void RunCategorical(string method, string input, ColumnNames columns, string? truthPath, string? truthItem, string? truthColumn, string? output, TextWriter stdout)
    {
        var answers = InputFiles.ReadCategorical(input, columns);
        var truth = truthPath is null ? null : InputFiles.ReadTruth(truthPath, truthItem, truthColumn);
        var result = Categorical.Aggregate(method, answers);
        using (var csv = CsvOutput.Open(output, stdout))
        {
            csv.Row("item", "label", "confidence");
            for (var i = 0; i < answers.ItemCount; i++)
            {
                csv.Cell(answers.ItemIds[i]);
                if (result.Label[i] < 0)
                {
                    csv.Cell("");
                    csv.Cell("");
                }
                else
                {
                    csv.Cell(answers.Labels[result.Label[i]]);
                    csv.Cell(result.Confidence[i]);
                }

                csv.EndRow();
            }
        }

        if (truth is not null)
        {
            var score = Gold.Accuracy(result, answers, truth);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy: {score.Accuracy:F4} ({score.Items} gold items)"));
        }
    }

    private static void RunNumeric(string method, string input, ColumnNames columns, string? truthPath, string? truthItem, string? truthColumn, string? output, TextWriter stdout)
    {
        var answers = InputFiles.ReadNumeric(input, columns);
        var truth = truthPath is null ? null : InputFiles.ReadNumericTruth(truthPath, truthItem, truthColumn);
        var result = Numeric.Aggregate(method, answers);
        using (var csv = CsvOutput.Open(output, stdout))
        {
            csv.Row("item", "value");
            for (var i = 0; i < answers.ItemCount; i++)
            {
                csv.Cell(answers.ItemIds[i]);
                csv.Cell(result.Value[i]);
                csv.EndRow();
            }
        }

        if (truth is not null)
        {
            var error = Gold.Error(result, answers, truth);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mae: {error.MeanAbsoluteError:F4} rmse: {error.RootMeanSquaredError:F4} ({error.Items} gold items)"));
        }
    }
}
