using System.CommandLine;
using System.Globalization;
using Fairlabel.Quality;

namespace Fairlabel.Cli.Quality;

/// <summary><c>fairlabel agreement</c>: how much the workers of a file agree, beyond chance.</summary>
internal static class AgreementCommand
{
    public static Command Create()
    {
        var metric = new Option<string>("--metric")
        {
            Description = "alpha (Krippendorff), fleiss (Fleiss' kappa), cohen (mean Cohen's kappa over worker pairs), percent (raw agreement).",
            HelpName = "metric",
            Required = true,
        };
        metric.AcceptOnlyFromAmong("alpha", "fleiss", "cohen", "percent");
        var level = new Option<string>("--level")
        {
            Description = "Krippendorff's alpha's level of measurement; interval and ratio need numeric answers.",
            HelpName = "level",
            DefaultValueFactory = _ => "nominal",
        };
        level.AcceptOnlyFromAmong("nominal", "ordinal", "interval", "ratio");
        var input = QualityOptions.InputFile("Answers: CSV, or TSV when the name ends in .tsv (either may be .gz), with a header row.");
        var columns = QualityOptions.AnswerColumns();

        var command = new Command("agreement", "Measure inter-annotator agreement on a file of answers.")
        {
            metric, level, input, columns.Item, columns.Worker, columns.Answer,
        };
        command.SetAction(result => QualityVerbs.Run(result, stdout =>
            Run(result.GetRequiredValue(metric), result.GetRequiredValue(level), result.GetRequiredValue(input).FullName, columns.Read(result), stdout)));
        return command;
    }

    private static void Run(string metric, string levelName, string input, ColumnNames columns, TextWriter stdout)
    {
        var level = Enum.Parse<MeasurementLevel>(levelName, ignoreCase: true);
        var answers = InputFiles.ReadCategorical(input, columns);
        if (level is MeasurementLevel.Interval or MeasurementLevel.Ratio && answers.NumericLabelValues() is null)
        {
            throw new UsageException($"--level {levelName} needs numeric answers, but {input} has non-numeric ones.");
        }

        var line = metric switch
        {
            "alpha" => $"alpha ({levelName}): {Agreement.KrippendorffAlpha(answers, level):F6}",
            "fleiss" => $"fleiss kappa: {Agreement.FleissKappa(answers):F6}",
            "percent" => $"percent agreement: {Agreement.PercentAgreement(answers):F6}",
            _ => CohenLine(Agreement.MeanCohenKappa(answers)),
        };
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{line} ({answers.ItemCount} items, {answers.WorkerCount} workers, {answers.AnswerCount} answers)"));
    }

    private static string CohenLine(PairwiseKappa kappa) =>
        string.Create(CultureInfo.InvariantCulture, $"cohen kappa (mean over {kappa.Pairs} worker pairs): {kappa.Mean:F6}");
}
