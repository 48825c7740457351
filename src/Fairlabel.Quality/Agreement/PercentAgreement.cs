namespace Fairlabel.Quality;

public static partial class Agreement
{
    /// <summary>
    /// Raw agreement: of all pairs of answers given to the same item, the fraction that agree.
    /// Items with many answers weigh more, since they hold more pairs.
    /// </summary>
    public static double PercentAgreement(CrowdAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var counts = new int[answers.LabelCount];
        var agreeing = 0.0;
        var pairs = 0.0;
        for (var i = 0; i < answers.ItemCount; i++)
        {
            var from = answers.ItemStart[i];
            var m = answers.ItemStart[i + 1] - from;
            if (m < 2)
            {
                continue;
            }

            Array.Clear(counts);
            for (var a = from; a < from + m; a++)
            {
                counts[answers.AnswerLabel[a]]++;
            }

            foreach (var c in counts)
            {
                agreeing += (double)c * (c - 1) / 2;
            }

            pairs += (double)m * (m - 1) / 2;
        }

        return pairs == 0 ? double.NaN : agreeing / pairs;
    }
}
