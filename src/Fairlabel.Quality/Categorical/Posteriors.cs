namespace Fairlabel.Quality;

/// <summary>Small numeric kernels shared by the truth-inference methods.</summary>
internal static class Posteriors
{
    /// <summary>
    /// Turns log-scores into probabilities in place and returns log(sum(exp(scores))), the
    /// item's contribution to the log-likelihood. Subtracting the maximum keeps exp() in range.
    /// </summary>
    public static double NormalizeLog(Span<double> scores)
    {
        var max = double.NegativeInfinity;
        foreach (var s in scores)
        {
            if (s > max)
            {
                max = s;
            }
        }

        var sum = 0.0;
        for (var k = 0; k < scores.Length; k++)
        {
            var e = Math.Exp(scores[k] - max);
            scores[k] = e;
            sum += e;
        }

        var inv = 1.0 / sum;
        for (var k = 0; k < scores.Length; k++)
        {
            scores[k] *= inv;
        }

        return max + Math.Log(sum);
    }

    /// <summary>
    /// The index of the largest value; an exact tie goes to the label with the lower
    /// <paramref name="labelRank"/> (see <see cref="LabelRanks"/>).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int ArgMax(ReadOnlySpan<double> values, ReadOnlySpan<int> labelRank)
    {
        var best = 0;
        for (var k = 1; k < values.Length; k++)
        {
            if (values[k] > values[best] || (values[k] == values[best] && labelRank[k] < labelRank[best]))
            {
                best = k;
            }
        }

        return best;
    }

    /// <summary>Picks each answered item's label from its posterior row; unanswered items get -1.</summary>
    public static Decision Decide(CrowdAnswers answers, double[] posterior, int[] labelRank)
    {
        var k = answers.LabelCount;
        var label = new int[answers.ItemCount];
        var confidence = new double[answers.ItemCount];
        for (var i = 0; i < label.Length; i++)
        {
            if (answers.ItemStart[i] == answers.ItemStart[i + 1])
            {
                label[i] = -1;
                continue;
            }

            var row = posterior.AsSpan(i * k, k);
            label[i] = ArgMax(row, labelRank);
            confidence[i] = row[label[i]];
        }

        return new Decision(label, confidence);
    }

    /// <summary>
    /// The tie-break order of labels: the label answered least often over the whole data set
    /// first, then the lower label index (ADR 0101). rank[label] = position in that order.
    /// </summary>
    public static int[] LabelRanks(CrowdAnswers answers)
    {
        var frequency = answers.LabelFrequencies();
        var order = new int[frequency.Length];
        for (var k = 0; k < order.Length; k++)
        {
            order[k] = k;
        }

        Array.Sort(order, (a, b) => frequency[a] != frequency[b] ? frequency[a].CompareTo(frequency[b]) : a.CompareTo(b));
        var rank = new int[order.Length];
        for (var r = 0; r < order.Length; r++)
        {
            rank[order[r]] = r;
        }

        return rank;
    }

    /// <summary>Class prior as the mean posterior over answered items, floored so no class becomes impossible.</summary>
    public static void EstimatePrior(CrowdAnswers answers, double[] posterior, double[] prior)
    {
        var k = prior.Length;
        Array.Clear(prior);
        var answered = 0;
        for (var i = 0; i < answers.ItemCount; i++)
        {
            if (answers.ItemStart[i] == answers.ItemStart[i + 1])
            {
                continue;
            }

            answered++;
            var row = posterior.AsSpan(i * k, k);
            for (var c = 0; c < k; c++)
            {
                prior[c] += row[c];
            }
        }

        var total = 0.0;
        for (var c = 0; c < k; c++)
        {
            prior[c] = Math.Max(prior[c] / Math.Max(answered, 1), 1e-6);
            total += prior[c];
        }

        for (var c = 0; c < k; c++)
        {
            prior[c] /= total;
        }
    }
}

/// <summary>The chosen label and its posterior, per item.</summary>
internal readonly record struct Decision(int[] Label, double[] Confidence);
