namespace Fairlabel.Quality;

/// <summary>
/// GLAD (Whitehill et al. 2009): worker w answers item i correctly with probability
/// sigmoid(alpha_w * beta_i), where alpha is the worker's ability and beta = exp(b) &gt; 0 the
/// item's easiness; wrong answers are spread evenly over the other labels. EM with a
/// Newton-step M-step instead of a general-purpose optimiser, which is where crowd-kit spends
/// its time.
/// </summary>
public static class Glad
{
    /// <summary>
    /// Gaussian prior on ability alpha: mean 1, variance 1 (a mildly good worker). Alpha is also
    /// kept non-negative: with more than two labels, GLAD's "adversarial" negative abilities let
    /// EM drift into label-swapped solutions (S_Rel falls from 0.57 to 0.50, ADR 0104).
    /// </summary>
    public const double AbilityPriorMean = 1.0;

    /// <summary>Gaussian prior on log-easiness b: mean 0, variance 1 (an average item).</summary>
    public const double LogEasinessPriorMean = 0.0;

    // Each M-step takes a few diagonal Newton steps; EM only needs the objective to improve,
    // not the exact maximiser, and more steps per iteration just shift work between loops.
    private const int NewtonSweeps = 2;

    /// <summary>Runs GLAD EM to convergence.</summary>
    public static CategoricalResult Aggregate(CrowdAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var k = answers.LabelCount;
        var posterior = MajorityVote.VoteShares(answers, weights: null);
        // The truth prior is uniform, as in Whitehill et al.: learning it lets GLAD collapse onto
        // the majority class on skewed data (measured on D_Product and S_Adult, ADR 0104).
        var prior = new double[k];
        Array.Fill(prior, 1.0 / k);
        var logPrior = new double[k];
        Array.Fill(logPrior, -Math.Log(k));
        var alpha = new double[answers.WorkerCount];
        Array.Fill(alpha, AbilityPriorMean);
        var logBeta = new double[answers.ItemCount];
        Array.Fill(logBeta, LogEasinessPriorMean);
        var logWrongShare = Math.Log(Math.Max(k - 1, 1));

        var previous = double.NegativeInfinity;
        var iterations = 0;
        var converged = false;
        while (iterations < Convergence.MaxIterations)
        {
            iterations++;
            for (var sweep = 0; sweep < NewtonSweeps; sweep++)
            {
                UpdateAbility(answers, posterior, alpha, logBeta);
                UpdateEasiness(answers, posterior, alpha, logBeta);
            }

            var objective = EStep(answers, logPrior, alpha, logBeta, logWrongShare, posterior) + LogParameterPrior(alpha, logBeta);
            if (Convergence.Reached(previous, objective))
            {
                converged = true;
                break;
            }

            previous = objective;
        }

        var beta = new double[logBeta.Length];
        for (var i = 0; i < beta.Length; i++)
        {
            beta[i] = Math.Exp(logBeta[i]);
        }

        var decision = Posteriors.Decide(answers, posterior, Posteriors.LabelRanks(answers));
        return new CategoricalResult("glad", answers, posterior, decision, alpha)
        {
            ItemEasiness = beta,
            Iterations = iterations,
            Converged = converged,
        };
    }

    // With q = P(answer is right) from the posterior and s = sigmoid(alpha * beta), the expected
    // log-likelihood of one answer is q log s + (1 - q) log(1 - s), whose derivative in
    // x = alpha * beta is q - s and whose curvature is -s(1 - s).
    private static void UpdateAbility(CrowdAnswers answers, double[] posterior, double[] alpha, double[] logBeta)
    {
        var k = answers.LabelCount;
        var gradient = new double[alpha.Length];
        var curvature = new double[alpha.Length];
        for (var a = 0; a < answers.AnswerCount; a++)
        {
            var i = answers.AnswerItem[a];
            var w = answers.AnswerWorker[a];
            var beta = Math.Exp(logBeta[i]);
            var s = Sigmoid(alpha[w] * beta);
            gradient[w] += (posterior[(i * k) + answers.AnswerLabel[a]] - s) * beta;
            curvature[w] += s * (1 - s) * beta * beta;
        }

        for (var w = 0; w < alpha.Length; w++)
        {
            // The prior adds -(alpha - mean) to the gradient and 1 to the curvature.
            alpha[w] = Math.Max(0, alpha[w] + ((gradient[w] - (alpha[w] - AbilityPriorMean)) / (curvature[w] + 1)));
        }
    }

    private static void UpdateEasiness(CrowdAnswers answers, double[] posterior, double[] alpha, double[] logBeta)
    {
        var k = answers.LabelCount;
        var start = answers.ItemStart;
        for (var i = 0; i < logBeta.Length; i++)
        {
            var beta = Math.Exp(logBeta[i]);
            var gradient = 0.0;
            var curvature = 0.0;
            for (var a = start[i]; a < start[i + 1]; a++)
            {
                var x = alpha[answers.AnswerWorker[a]] * beta;
                var s = Sigmoid(x);
                gradient += (posterior[(i * k) + answers.AnswerLabel[a]] - s) * x;
                curvature += s * (1 - s) * x * x;
            }

            // Fisher scoring in b = log beta; the step is capped because a lone item with
            // unanimous answers would otherwise take a huge first step towards infinite easiness.
            var step = (gradient - (logBeta[i] - LogEasinessPriorMean)) / (curvature + 1);
            logBeta[i] += Math.Clamp(step, -1.0, 1.0);
        }
    }

    private static double EStep(CrowdAnswers answers, double[] logPrior, double[] alpha, double[] logBeta, double logWrongShare, double[] posterior) =>
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

                var beta = Math.Exp(logBeta[i]);
                var row = posterior.AsSpan(i * k, k);
                logPrior.CopyTo(row);
                var wrong = 0.0;
                for (var a = start[i]; a < start[i + 1]; a++)
                {
                    var x = alpha[answers.AnswerWorker[a]] * beta;
                    var logWrong = LogSigmoid(-x) - logWrongShare;
                    wrong += logWrong;
                    row[answers.AnswerLabel[a]] += LogSigmoid(x) - logWrong;
                }

                for (var c = 0; c < k; c++)
                {
                    row[c] += wrong;
                }

                logLikelihood += Posteriors.NormalizeLog(row);
            }

            return logLikelihood;
        });

    private static double LogParameterPrior(double[] alpha, double[] logBeta)
    {
        var sum = 0.0;
        foreach (var a in alpha)
        {
            sum -= 0.5 * (a - AbilityPriorMean) * (a - AbilityPriorMean);
        }

        foreach (var b in logBeta)
        {
            sum -= 0.5 * (b - LogEasinessPriorMean) * (b - LogEasinessPriorMean);
        }

        return sum;
    }

    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    // log(sigmoid(x)) without overflow for large |x|.
    private static double LogSigmoid(double x) => x >= 0 ? -Math.Log(1 + Math.Exp(-x)) : x - Math.Log(1 + Math.Exp(x));
}
