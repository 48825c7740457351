namespace Fairlabel.Quality;

/// <summary>
/// Majority vote: each item gets the label most of its answers chose. Ties go to the label
/// answered least often over the whole data set, then to the lower label index (ADR 0101),
/// so the result is deterministic and independent of input order.
/// </summary>
public static class MajorityVote
{
    /// <summary>Runs majority vote; confidence is the winning label's vote share.</summary>
    public static CategoricalResult Aggregate(CrowdAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var shares = VoteShares(answers, weights: null);
        var ranks = Posteriors.LabelRanks(answers);
        var decision = Posteriors.Decide(answers, shares, ranks);
        return new CategoricalResult("mv", answers, shares, decision, AgreementWithLabels(answers, decision.Label));
    }

    /// <summary>
    /// Per-item (optionally worker-weighted) vote shares, row-major [item * K + label]; the
    /// soft initialisation that every EM method in this library starts from (ADR 0102).
    /// </summary>
    internal static double[] VoteShares(CrowdAnswers answers, double[]? weights)
    {
        var k = answers.LabelCount;
        var shares = new double[answers.ItemCount * k];
        var start = answers.ItemStart;
        var workers = answers.AnswerWorker;
        var labels = answers.AnswerLabel;
        for (var i = 0; i < answers.ItemCount; i++)
        {
            var row = shares.AsSpan(i * k, k);
            var total = 0.0;
            for (var a = start[i]; a < start[i + 1]; a++)
            {
                var w = weights is null ? 1.0 : weights[workers[a]];
                row[labels[a]] += w;
                total += w;
            }

            if (total > 0)
            {
                for (var c = 0; c < k; c++)
                {
                    row[c] /= total;
                }
            }
            else if (start[i + 1] > start[i])
            {
                // Every voter has zero weight: fall back to an uninformative row.
                row.Fill(1.0 / k);
            }
        }

        return shares;
    }

    /// <summary>The fraction of each worker's answers that match <paramref name="itemLabel"/> (NaN for a worker with no answers).</summary>
    internal static double[] AgreementWithLabels(CrowdAnswers answers, int[] itemLabel)
    {
        var agree = new double[answers.WorkerCount];
        var total = new double[answers.WorkerCount];
        for (var a = 0; a < answers.AnswerCount; a++)
        {
            var w = answers.AnswerWorker[a];
            total[w]++;
            if (answers.AnswerLabel[a] == itemLabel[answers.AnswerItem[a]])
            {
                agree[w]++;
            }
        }

        for (var w = 0; w < agree.Length; w++)
        {
            agree[w] = total[w] > 0 ? agree[w] / total[w] : double.NaN;
        }

        return agree;
    }
}
