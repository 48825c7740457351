namespace Fairlabel.Quality;

/// <summary>
/// MACE (Hovy et al. 2013, "Learning Whom to Trust"): each answer is either truthful (with the
/// worker's competence theta) or spam drawn from the worker's own spam distribution xi, so
/// P(answer l | truth c) = theta [l = c] + (1 - theta) xi_l. Unlike the paper, the truth prior
/// is learned, as in Dawid–Skene: with a uniform prior the spam distributions soak up a skewed
/// majority class (0.83 instead of 0.93 on D_Product, ADR 0104). EM starts from the majority-vote shares instead of MACE's random restarts,
/// which makes the result deterministic and costs one run instead of ten (ADR 0102).
/// </summary>
public static class Mace
{
    /// <summary>
    /// Beta prior on competence theta, as pseudo-answers: 20 truthful, half a spam one. Most
    /// workers mostly try; a worker needs a track record before EM may call them a spammer,
    /// which stops a few answers of the majority class from being explained away as spam (ADR 0104).
    /// </summary>
    public const double TruthfulPrior = 20;

    /// <summary>Spam pseudo-answers of the competence prior.</summary>
    public const double SpamPrior = 0.5;

    /// <summary>Dirichlet pseudo-count on each label of a worker's spam distribution.</summary>
    public const double SpamSmoothing = 0.5;

    /// <summary>Runs MACE EM to convergence.</summary>
    public static CategoricalResult Aggregate(CrowdAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var k = answers.LabelCount;
        var workers = answers.WorkerCount;
        var posterior = MajorityVote.VoteShares(answers, weights: null);
        var theta = new double[workers];
        Array.Fill(theta, 0.5);
        var spam = new double[workers * k];
        Array.Fill(spam, 1.0 / k);
        var logMatch = new double[workers * k];
        var logMiss = new double[workers * k];
        var answered = answers.WorkerAnswerCounts();
        var prior = new double[k];
        var logPrior = new double[k];

        var previous = double.NegativeInfinity;
        var iterations = 0;
        var converged = false;
        while (iterations < Convergence.MaxIterations)
        {
            iterations++;
            MStep(answers, posterior, answered, theta, spam);
            for (var w = 0; w < workers; w++)
            {
                for (var l = 0; l < k; l++)
                {
                    var spamPart = (1 - theta[w]) * spam[(w * k) + l];
                    logMiss[(w * k) + l] = Math.Log(spamPart);
                    logMatch[(w * k) + l] = Math.Log(theta[w] + spamPart);
                }
            }

            Posteriors.EstimatePrior(answers, posterior, prior);
            for (var c = 0; c < k; c++)
            {
                logPrior[c] = Math.Log(prior[c]);
            }

            var logLikelihood = EStep(answers, logMatch, logMiss, posterior, logPrior);
            if (Convergence.Reached(previous, logLikelihood))
            {
                converged = true;
                break;
            }

            previous = logLikelihood;
        }

        var decision = Posteriors.Decide(answers, posterior, Posteriors.LabelRanks(answers));
        return new CategoricalResult("mace", answers, posterior, decision, theta)
        {
            ClassPrior = prior,
            Iterations = iterations,
            Converged = converged,
        };
    }

    private static void MStep(CrowdAnswers answers, double[] posterior, int[] answered, double[] theta, double[] spam)
    {
        var k = answers.LabelCount;
        var truthful = new double[theta.Length];
        var spamCounts = new double[spam.Length];
        Array.Fill(spamCounts, SpamSmoothing);
        for (var a = 0; a < answers.AnswerCount; a++)
        {
            var w = answers.AnswerWorker[a];
            var l = answers.AnswerLabel[a];

            // The answer can only be truthful if it equals the truth, which has probability
            // posterior[i, l]; given that, it was truthful rather than lucky spam with
            // probability theta / (theta + (1 - theta) xi_l).
            var lucky = (1 - theta[w]) * spam[(w * k) + l];
            var pTruthful = posterior[(answers.AnswerItem[a] * k) + l] * theta[w] / (theta[w] + lucky);
            truthful[w] += pTruthful;
            spamCounts[(w * k) + l] += 1 - pTruthful;
        }

        for (var w = 0; w < theta.Length; w++)
        {
            theta[w] = (truthful[w] + TruthfulPrior) / (answered[w] + TruthfulPrior + SpamPrior);
            var total = 0.0;
            for (var l = 0; l < k; l++)
            {
                total += spamCounts[(w * k) + l];
            }

            for (var l = 0; l < k; l++)
            {
                spam[(w * k) + l] = spamCounts[(w * k) + l] / total;
            }
        }
    }

    private static double EStep(CrowdAnswers answers, double[] logMatch, double[] logMiss, double[] posterior, double[] logPrior) =>
        ItemRanges.Sum(answers, (from, to) =>
        {
            var k = answers.LabelCount;
            var start = answers.ItemStart;
            var logLikelihood = 0.0;
            for (var i = from; i < to; i++)
            {
                if (start[i] == start[i + 1])
                {
                    continue;
                }

                // Each answer is a "miss" for every truth but the one it names.
                var row = posterior.AsSpan(i * k, k);
                logPrior.CopyTo(row);
                var miss = 0.0;
                for (var a = start[i]; a < start[i + 1]; a++)
                {
                    var cell = (answers.AnswerWorker[a] * k) + answers.AnswerLabel[a];
                    miss += logMiss[cell];
                    row[answers.AnswerLabel[a]] += logMatch[cell] - logMiss[cell];
                }

                for (var c = 0; c < k; c++)
                {
                    row[c] += miss;
                }

                logLikelihood += Posteriors.NormalizeLog(row);
            }

            return logLikelihood;
        });
}
