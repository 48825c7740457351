namespace Fairlabel.Quality;

/// <summary>
/// One-coin Dawid–Skene: each worker is right with one probability p and otherwise picks
/// uniformly among the other labels. One parameter per worker instead of K² makes it the
/// better choice when workers answer only a handful of items.
/// </summary>
public static class OneCoinDawidSkene
{
    /// <summary>Beta pseudo-counts on each worker's accuracy (half a right and half a wrong answer).</summary>
    public const double Smoothing = 0.5;

    /// <summary>Runs one-coin Dawid–Skene EM to convergence.</summary>
    public static CategoricalResult Aggregate(CrowdAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var k = answers.LabelCount;
        var posterior = MajorityVote.VoteShares(answers, weights: null);
        // Uniform truth prior: with one accuracy per worker, a learned prior feeds on itself and
        // collapses onto the most-answered class (0.26 on S_Rel, crowd-kit's figure; 0.52 uniform).
        var logPrior = new double[k];
        Array.Fill(logPrior, -Math.Log(k));
        var accuracy = new double[answers.WorkerCount];
        var logRight = new double[answers.WorkerCount];
        var logWrong = new double[answers.WorkerCount];
        var answered = answers.WorkerAnswerCounts();

        var previous = double.NegativeInfinity;
        var iterations = 0;
        var converged = false;
        while (iterations < Convergence.MaxIterations)
        {
            iterations++;
            // M-step: expected number of right answers = posterior mass on the answered label.
            Array.Clear(accuracy);
            for (var a = 0; a < answers.AnswerCount; a++)
            {
                accuracy[answers.AnswerWorker[a]] += posterior[(answers.AnswerItem[a] * k) + answers.AnswerLabel[a]];
            }

            for (var w = 0; w < accuracy.Length; w++)
            {
                // Never below chance: a below-chance one-coin worker would turn votes into anti-votes.
                accuracy[w] = Math.Max((accuracy[w] + Smoothing) / (answered[w] + (2 * Smoothing)), 1.0 / k);
                logRight[w] = Math.Log(accuracy[w]);
                logWrong[w] = Math.Log((1 - accuracy[w]) / Math.Max(k - 1, 1));
            }

            var logLikelihood = EStep(answers, logPrior, logRight, logWrong, posterior);
            if (Convergence.Reached(previous, logLikelihood))
            {
                converged = true;
                break;
            }

            previous = logLikelihood;
        }

        var decision = Posteriors.Decide(answers, posterior, Posteriors.LabelRanks(answers));
        return new CategoricalResult("onecoin-ds", answers, posterior, decision, accuracy)
        {
            Iterations = iterations,
            Converged = converged,
        };
    }

    private static double EStep(CrowdAnswers answers, double[] logPrior, double[] logRight, double[] logWrong, double[] posterior) =>
        ItemRanges.Sum(answers, (from, to) =>
        {
            var k = logPrior.Length;
            var start = answers.ItemStart;
            var logLikelihood = 0.0;
            for (var i = from; i < to; i++)
            {
                if (start[i] == start[i + 1])
                {
                    continue;
                }

                // Every answer is "wrong" for all truths but one: add the wrong term to all,
                // then the difference to the answered label.
                var row = posterior.AsSpan(i * k, k);
                var wrong = 0.0;
                logPrior.CopyTo(row);
                for (var a = start[i]; a < start[i + 1]; a++)
                {
                    var w = answers.AnswerWorker[a];
                    wrong += logWrong[w];
                    row[answers.AnswerLabel[a]] += logRight[w] - logWrong[w];
                }

                for (var c = 0; c < k; c++)
                {
                    row[c] += wrong;
                }

                logLikelihood += Posteriors.NormalizeLog(row);
            }

            return logLikelihood;
        });
}
