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

    /// <summary>
    /// Stop when the evidence lower bound per answer improves by less than this (ADR 0103).
    /// </summary>
    public const double Tolerance = 1e-5;

    /// <summary>Runs Dawid–Skene EM to convergence.</summary>
    public static CategoricalResult Aggregate(CrowdAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var k = answers.LabelCount;
        var posterior = MajorityVote.VoteShares(answers, weights: null);
        var prior = new double[k];
        var logPrior = new double[k];

        // Layout [(worker * K + answered) * K + truth]: the E-step adds, for one answer, the K
        // contiguous entries that answer contributes to each candidate truth.
        var counts = new double[answers.WorkerCount * k * k];
        var logConfusion = new double[counts.Length];

        // E-step, M-step, then the bound of the pair; the first M-step uses the MV shares.
        var previous = double.NegativeInfinity;
        var iterations = 0;
        var converged = false;
        MStep(answers, posterior, prior, logPrior, counts, logConfusion);
        while (iterations < Convergence.MaxIterations)
        {
            iterations++;
            EStep(answers, logPrior, logConfusion, posterior);
            MStep(answers, posterior, prior, logPrior, counts, logConfusion);
            var bound = EvidenceLowerBound(answers, logPrior, logConfusion, posterior) / answers.AnswerCount;
            if (bound - previous < Tolerance)
            {
                converged = true;
                break;
            }

            previous = bound;
        }

        var confusion = ToTruthMajor(logConfusion, answers.WorkerCount, k);
        var decision = Posteriors.Decide(answers, posterior, Posteriors.LabelRanks(answers));
        return new CategoricalResult("ds", answers, posterior, decision, ExpectedAccuracy(confusion, prior, answers))
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
        Array.Fill(counts, Smoothing);
        var items = answers.AnswerItem;
        var workers = answers.AnswerWorker;
        var labels = answers.AnswerLabel;
        for (var a = 0; a < items.Length; a++)
        {
            var cell = counts.AsSpan(((workers[a] * k) + labels[a]) * k, k);
            var row = posterior.AsSpan(items[a] * k, k);
            for (var c = 0; c < k; c++)
            {
                cell[c] += row[c];
            }
        }

        // Normalise each worker's column "truth = c" over the answered labels.
        Span<double> total = stackalloc double[k];
        for (var w = 0; w < answers.WorkerCount; w++)
        {
            var block = counts.AsSpan(w * k * k, k * k);
            var logBlock = logConfusion.AsSpan(w * k * k, k * k);
            total.Clear();
            for (var l = 0; l < k; l++)
            {
                for (var c = 0; c < k; c++)
                {
                    total[c] += block[(l * k) + c];
                }
            }

            for (var l = 0; l < k; l++)
            {
                for (var c = 0; c < k; c++)
                {
                    logBlock[(l * k) + c] = Math.Log(block[(l * k) + c] / total[c]);
                }
            }
        }
    }

    private static double EStep(CrowdAnswers answers, double[] logPrior, double[] logConfusion, double[] posterior) =>
        ItemRanges.Sum(answers, (from, to) =>
        {
            var k = logPrior.Length;
            var start = answers.ItemStart;
            var workers = answers.AnswerWorker;
            var labels = answers.AnswerLabel;
            var logLikelihood = 0.0;
            for (var i = from; i < to; i++)
            {
                if (start[i] == start[i + 1])
                {
                    continue;
                }

                var row = posterior.AsSpan(i * k, k);
                logPrior.CopyTo(row);
                for (var a = start[i]; a < start[i + 1]; a++)
                {
                    var cell = logConfusion.AsSpan(((workers[a] * k) + labels[a]) * k, k);
                    for (var c = 0; c < k; c++)
                    {
                        row[c] += cell[c];
                    }
                }

                logLikelihood += Posteriors.NormalizeLog(row);
            }

            return logLikelihood;
        });

    /// <summary>
    /// The stopping objective, computed as crowd-kit 1.4.1 does so that "converged" means the
    /// same thing in both (ADR 0103): the expected complete-data log-likelihood under the
    /// posteriors plus their entropy, where the log prior is counted once per answer rather
    /// than once per item. The bound is not monotone in EM, and a dip also stops the loop.
    /// </summary>
    private static double EvidenceLowerBound(CrowdAnswers answers, double[] logPrior, double[] logConfusion, double[] posterior) =>
        ItemRanges.Sum(answers, (from, to) =>
        {
            var k = logPrior.Length;
            var start = answers.ItemStart;
            var bound = 0.0;
            Span<double> expected = stackalloc double[k];
            for (var i = from; i < to; i++)
            {
                var m = start[i + 1] - start[i];
                for (var c = 0; c < k; c++)
                {
                    expected[c] = m * logPrior[c];
                }

                for (var a = start[i]; a < start[i + 1]; a++)
                {
                    var cell = logConfusion.AsSpan(((answers.AnswerWorker[a] * k) + answers.AnswerLabel[a]) * k, k);
                    for (var c = 0; c < k; c++)
                    {
                        expected[c] += cell[c];
                    }
                }

                var row = posterior.AsSpan(i * k, k);
                for (var c = 0; c < k; c++)
                {
                    if (row[c] > 0)
                    {
                        bound += row[c] * (expected[c] - Math.Log(row[c]));
                    }
                }
            }

            return bound;
        });

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
