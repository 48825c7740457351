namespace Fairlabel.Quality;

public static partial class Agreement
{
    /// <summary>
    /// Fleiss' kappa, generalised to a varying number of answers per item: each item with at
    /// least two answers contributes its proportion of agreeing answer pairs; chance agreement
    /// comes from the pooled label proportions of those items.
    /// </summary>
    public static double FleissKappa(CrowdAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var k = answers.LabelCount;
        var counts = new int[k];
        var pooled = new double[k];
        var agreement = 0.0;
        var items = 0;
        var total = 0.0;
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

            var agreeingPairs = 0.0;
            for (var c = 0; c < k; c++)
            {
                agreeingPairs += (double)counts[c] * (counts[c] - 1);
                pooled[c] += counts[c];
            }

            agreement += agreeingPairs / ((double)m * (m - 1));
            total += m;
            items++;
        }

        if (items == 0)
        {
            return double.NaN;
        }

        var chance = 0.0;
        for (var c = 0; c < k; c++)
        {
            chance += (pooled[c] / total) * (pooled[c] / total);
        }

        var observed = agreement / items;
        return chance >= 1 ? double.NaN : (observed - chance) / (1 - chance);
    }
}
