using System.Globalization;

namespace Fairlabel.Quality.CommandLine;

/// <summary>
/// fairlabel agreement --metric alpha|fleiss|cohen|percent [--level nominal|ordinal|interval|ratio]
/// --input answers.csv [--item-column N --worker-column N --answer-column N]
/// </summary>
internal static class AgreementCommand
{
    private static readonly string[] Known = ["metric", "level", "input", "item-column", "worker-column", "answer-column"];

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        var options = CommandOptions.Parse(args, Known);
        var metric = options.Required("metric");
        var level = options.Get("level") switch
        {
            null or "nominal" => MeasurementLevel.Nominal,
            "ordinal" => MeasurementLevel.Ordinal,
            "interval" => MeasurementLevel.Interval,
            "ratio" => MeasurementLevel.Ratio,
            var other => throw new UsageException($"--level must be nominal, ordinal, interval or ratio, not '{other}'."),
        };
        if (metric is not ("alpha" or "fleiss" or "cohen" or "percent"))
        {
            throw new UsageException($"unknown --metric '{metric}'; expected alpha, fleiss, cohen or percent.");
        }

        var input = options.Required("input");
        var answers = InputFiles.ReadCategorical(input, new ColumnNames(options.Get("item-column"), options.Get("worker-column"), options.Get("answer-column")));
        if (level is MeasurementLevel.Interval or MeasurementLevel.Ratio && answers.NumericLabelValues() is null)
        {
            throw new UsageException($"--level {options.Get("level")} needs numeric answers, but {input} has non-numeric ones.");
        }

        var line = metric switch
        {
            "alpha" => $"alpha ({level.ToString().ToLowerInvariant()}): {Agreement.KrippendorffAlpha(answers, level):F6}",
            "fleiss" => $"fleiss kappa: {Agreement.FleissKappa(answers):F6}",
            "percent" => $"percent agreement: {Agreement.PercentAgreement(answers):F6}",
            _ => CohenLine(Agreement.MeanCohenKappa(answers)),
        };
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{line} ({answers.ItemCount} items, {answers.WorkerCount} workers, {answers.AnswerCount} answers)"));
        return 0;
    }

    private static string CohenLine(PairwiseKappa kappa) =>
        string.Create(CultureInfo.InvariantCulture, $"cohen kappa (mean over {kappa.Pairs} worker pairs): {kappa.Mean:F6}");
}
