namespace Fairlabel.Quality;

/// <summary>
/// Dawid and Skene (1979): each worker has a full confusion matrix P(answer | truth); EM
/// alternates between item posteriors (E-step) and class prior plus confusion matrices
/// (M-step), starting from the majority-vote shares (ADR 0102).
/// </summary>
public static class DawidSkene
{
    /// <summary>
    /// Floor of every confusion-matrix cell count (crowd-kit clips at the same value). It only
    /// keeps log() finite: Dawid–Skene is a maximum-likelihood method, so no prior is added.
    /// </summary>
    public const double Smoothing = 1e-10;

    /// <summary>Stop when the evidence lower bound per answer improves by less than this (ADR 0103).</summary>
    public const double Tolerance = 1e-5;

    /// <summary>Runs Dawid–Skene EM to convergence.</summary>
    public static CategoricalResult Aggregate(CrowdAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var k = answers.LabelCount;
        var prior = new double[k];
        var logPrior = new double[k];

        // Layout [(worker * K + answered) * K + truth]: for one answer, the K contiguous entries
        // it contributes to each candidate truth.
        var counts = new double[answers.WorkerCount * k * k];
        var logConfusion = new double[counts.Length];

        // Two posterior buffers: the E-step reads the current posterior (to score it, for the
        // stopping rule) while it writes the next one, so the bound costs no extra pass.
        var current = MajorityVote.VoteShares(answers, weights: null);
        var currentLog = LogOf(current);
        var next = new double[current.Length];
        var nextLog = new double[current.Length];

        MStep(answers, current, prior, logPrior, counts, logConfusion);
        var previous = double.NegativeInfinity;
        var iterations = 0;
        var converged = false;
        while (iterations < Convergence.MaxIterations)
        {
            var bound = EStep(answers, logPrior, logConfusion, current, currentLog, next, nextLog) / answers.AnswerCount;

            // The bound of (posterior t, parameters t) is known only once parameters t exist, so
            // iteration t is judged during E-step t + 1; on stopping, its result is kept.
            if (iterations > 0)
            {
                if (bound - previous < Tolerance)
                {
                    converged = true;
                    break;
                }

                previous = bound;
            }

            (current, next) = (next, current);
            (currentLog, nextLog) = (nextLog, currentLog);
            MStep(answers, current, prior, logPrior, counts, logConfusion);
            iterations++;
        }

        var confusion = ToTruthMajor(logConfusion, answers.WorkerCount, k);
        var decision = Posteriors.Decide(answers, current, Posteriors.LabelRanks(answers));
        return new CategoricalResult("ds", answers, current, decision, ExpectedAccuracy(confusion, prior, answers))
        {
            ConfusionMatrices = confusion,
            ClassPrior = prior,
            Iterations = iterations,
            Converged = converged,
        };
    }

    private static void MStep(CrowdAnswers answers, double[] posterior, double[] prior, double[] logPrior, double[] counts, double[] logConfusion)
    {
        var k = prior.Length;
        Posteriors.EstimatePrior(answers, posterior, prior);
        for (var c = 0; c < k; c++)
        {
            logPrior[c] = Math.Log(prior[c]);
        }

        // Expected counts: every answer adds its item's posterior to the row of its label.
        ItemRanges.Accumulate(answers, counts, (from, to, target) =>
        {
            var start = answers.ItemStart;
            var workers = answers.AnswerWorker;
            var labels = answers.AnswerLabel;
            for (var i = from; i < to; i++)
            {
                var row = posterior.AsSpan(i * k, k);
                for (var a = start[i]; a < start[i + 1]; a++)
                {
                    var cell = target.AsSpan(((workers[a] * k) + labels[a]) * k, k);
                    for (var c = 0; c < k; c++)
                    {
                        cell[c] += row[c];
                    }
                }
            }
        });

        // Normalise each worker's column "truth = c" over the answered labels.
        Span<double> total = stackalloc double[k];
        for (var w = 0; w < answers.WorkerCount; w++)
        {
            var block = counts.AsSpan(w * k * k, k * k);
            var logBlock = logConfusion.AsSpan(w * k * k, k * k);
            total.Clear();
            for (var x = 0; x < block.Length; x++)
            {
                block[x] = Math.Max(block[x], Smoothing);
                total[x % k] += block[x];
            }

            for (var x = 0; x < block.Length; x++)
            {
                logBlock[x] = Math.Log(block[x] / total[x % k]);
            }
        }
    }

    /// <summary>
    /// Writes the posterior under the current parameters into <paramref name="next"/> and returns
    /// the stopping objective of the posterior it replaces, computed as crowd-kit 1.4.1 does so
    /// that "converged" means the same in both (ADR 0103): expected complete-data
    /// log-likelihood plus entropy, with the log prior counted once per answer, not per item.
    /// </summary>
    private static double EStep(CrowdAnswers answers, double[] logPrior, double[] logConfusion, double[] current, double[] currentLog, double[] next, double[] nextLog) =>
        ItemRanges.Sum(answers, (from, to) =>
        {
            var k = logPrior.Length;
            var start = answers.ItemStart;
            var workers = answers.AnswerWorker;
            var labels = answers.AnswerLabel;
            var bound = 0.0;
            for (var i = from; i < to; i++)
            {
                var m = start[i + 1] - start[i];
                if (m == 0)
                {
                    continue;
                }

                var score = nextLog.AsSpan(i * k, k);
                logPrior.CopyTo(score);
                for (var a = start[i]; a < start[i + 1]; a++)
                {
                    var cell = logConfusion.AsSpan(((workers[a] * k) + labels[a]) * k, k);
                    for (var c = 0; c < k; c++)
                    {
                        score[c] += cell[c];
                    }
                }

                var q = current.AsSpan(i * k, k);
                var logQ = currentLog.AsSpan(i * k, k);
                for (var c = 0; c < k; c++)
                {
                    if (q[c] > 0)
                    {
                        bound += q[c] * (score[c] + ((m - 1) * logPrior[c]) - logQ[c]);
                    }
                }

                var row = next.AsSpan(i * k, k);
                score.CopyTo(row);
                var logNormaliser = Posteriors.NormalizeLog(row);
                for (var c = 0; c < k; c++)
                {
                    score[c] -= logNormaliser;
                }
            }

            return bound;
        });

    private static double[] LogOf(double[] values)
    {
        var logs = new double[values.Length];
        for (var x = 0; x < values.Length; x++)
        {
            logs[x] = Math.Log(values[x]);
        }

        return logs;
    }

    private static double[] ToTruthMajor(double[] logConfusion, int workers, int k)
    {
        var confusion = new double[logConfusion.Length];
        for (var w = 0; w < workers; w++)
        {
            for (var l = 0; l < k; l++)
            {
                for (var c = 0; c < k; c++)
                {
                    confusion[((w * k) + c) * k + l] = Math.Exp(logConfusion[((w * k) + l) * k + c]);
                }
            }
        }

        return confusion;
    }

    private static double[] ExpectedAccuracy(double[] confusion, double[] prior, CrowdAnswers answers)
    {
        var k = prior.Length;
        var skill = new double[answers.WorkerCount];
        for (var w = 0; w < skill.Length; w++)
        {
            for (var c = 0; c < k; c++)
            {
                skill[w] += prior[c] * confusion[((w * k) + c) * k + c];
            }
        }

        return skill;
    }
}
