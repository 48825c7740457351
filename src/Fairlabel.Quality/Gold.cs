namespace Fairlabel.Quality;

/// <summary>Accuracy of a categorical result on gold items that have answers, and how many there were.</summary>
public readonly record struct GoldAccuracy(double Accuracy, int Items);

/// <summary>Mean absolute and root-mean-square error of a numeric result on gold items that have answers.</summary>
public readonly record struct GoldError(double MeanAbsoluteError, double RootMeanSquaredError, int Items);

/// <summary>
/// Scores results against known true answers. Only gold items that received answers count:
/// an item nobody answered says nothing about the method (the convention of crowd-kit, and
/// the one the command line reports).
/// </summary>
public static class Gold
{
    /// <summary>Fraction of answered gold items whose inferred label equals the true label.</summary>
    public static GoldAccuracy Accuracy(CategoricalResult result, CrowdAnswers answers, IReadOnlyDictionary<string, string> truth)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(truth);
        var labelNumbers = answers.NumericLabelValues();
        var correct = 0;
        var scored = 0;
        for (var i = 0; i < answers.ItemCount; i++)
        {
            if (result.Label[i] < 0 || !truth.TryGetValue(answers.ItemIds[i], out var expected))
            {
                continue;
            }

            scored++;
            var chosen = answers.Labels[result.Label[i]];
            // "1" and "1.0" name the same class when the labels are numbers.
            if (chosen == expected
                || (labelNumbers is not null && LabelOrder.TryParseNumber(expected, out var number) && number == labelNumbers[result.Label[i]]))
            {
                correct++;
            }
        }

        return new GoldAccuracy(scored > 0 ? (double)correct / scored : double.NaN, scored);
    }

    /// <summary>MAE and RMSE over answered gold items.</summary>
    public static GoldError Error(NumericResult result, NumericAnswers answers, IReadOnlyDictionary<string, double> truth)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(truth);
        var absolute = 0.0;
        var squared = 0.0;
        var scored = 0;
        for (var i = 0; i < answers.ItemCount; i++)
        {
            if (double.IsNaN(result.Value[i]) || !truth.TryGetValue(answers.ItemIds[i], out var expected))
            {
                continue;
            }

            var error = result.Value[i] - expected;
            absolute += Math.Abs(error);
            squared += error * error;
            scored++;
        }

        return scored == 0
            ? new GoldError(double.NaN, double.NaN, 0)
            : new GoldError(absolute / scored, Math.Sqrt(squared / scored), scored);
    }
}
