using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
        return Aggregate(answers, Posteriors.LabelRanks(answers));
    }

    /// <summary>Majority vote with the tie-break ranks already computed (Wawa reuses them).</summary>
    internal static CategoricalResult Aggregate(CrowdAnswers answers, int[] ranks)
    {
        var shares = VoteShares(answers, weights: null);
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
        ref var sharesRef = ref MemoryMarshal.GetArrayDataReference(shares);
        for (var i = 0; i < answers.ItemCount; i++)
        {
            ref var row = ref Unsafe.Add(ref sharesRef, i * k);
            var first = start[i];
            var end = start[i + 1];
            var total = 0.0;
            if (weights is null)
            {
                for (var a = first; a < end; a++)
                {
                    Unsafe.Add(ref row, labels[a]) += 1.0;
                    total += 1.0;
                }
            }
            else
            {
                for (var a = first; a < end; a++)
                {
                    var w = weights[workers[a]];
                    Unsafe.Add(ref row, labels[a]) += w;
                    total += w;
                }
            }

            if (total > 0)
            {
                for (var c = 0; c < k; c++)
                {
                    Unsafe.Add(ref row, c) /= total;
                }
            }
            else if (end > first)
            {
                // Every voter has zero weight: fall back to an uninformative row.
                shares.AsSpan(i * k, k).Fill(1.0 / k);
            }
        }

        return shares;
    }

    /// <summary>The fraction of each worker's answers that match <paramref name="itemLabel"/> (NaN for a worker with no answers).</summary>
    internal static double[] AgreementWithLabels(CrowdAnswers answers, int[] itemLabel)
    {
        // Integer counts (exact, as the double counts they replace), item by item, without a
        // branch on agreement.
        var agree = new int[answers.WorkerCount];
        var total = new int[answers.WorkerCount];
        var start = answers.ItemStart;
        var workers = answers.AnswerWorker;
        var labels = answers.AnswerLabel;
        for (var i = 0; i < answers.ItemCount; i++)
        {
            var chosen = itemLabel[i];
            for (var a = start[i]; a < start[i + 1]; a++)
            {
                var w = workers[a];
                total[w]++;
                agree[w] += labels[a] == chosen ? 1 : 0;
            }
        }

        var skill = new double[answers.WorkerCount];
        for (var w = 0; w < skill.Length; w++)
        {
            skill[w] = total[w] > 0 ? (double)agree[w] / total[w] : double.NaN;
        }

        return skill;
    }
}
