namespace Fairlabel.Quality;

/// <summary>
/// The outcome of categorical truth inference: one label per item with its posterior, and
/// what the method learned about each worker.
/// </summary>
public sealed class CategoricalResult
{
    internal CategoricalResult(string method, CrowdAnswers answers, double[] posterior, Decision decision, double[] workerSkill)
    {
        Method = method;
        Labels = answers.Labels;
        LabelCount = answers.LabelCount;
        Posterior = posterior;
        Label = decision.Label;
        Confidence = decision.Confidence;
        WorkerSkill = workerSkill;
    }

    /// <summary>The method that produced this result ("mv", "ds", ...).</summary>
    public string Method { get; }

    /// <summary>The label names; <see cref="Label"/> indexes into this list.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Number of labels (classes).</summary>
    public int LabelCount { get; }

    /// <summary>Chosen label per item index, an index into <see cref="Labels"/>; -1 when the item has no answers.</summary>
    public int[] Label { get; }

    /// <summary>Posterior probability of the chosen label (the vote share for majority vote, the weighted share for Wawa).</summary>
    public double[] Confidence { get; }

    /// <summary>Per-item distribution over labels, row-major: entry [item * LabelCount + label].</summary>
    public double[] Posterior { get; }

    /// <summary>
    /// One number per worker, higher is better: agreement with the majority (mv, wawa), expected
    /// accuracy under the class prior (ds), probability of a correct answer (onecoin-ds), ability
    /// alpha (glad), probability of answering truthfully rather than spamming (mace).
    /// </summary>
    public double[] WorkerSkill { get; }

    /// <summary>
    /// Dawid–Skene confusion matrices, row-major per worker: entry
    /// [(worker * LabelCount + trueLabel) * LabelCount + answeredLabel] = P(answer | truth); null for other methods.
    /// </summary>
    public double[]? ConfusionMatrices { get; internal init; }

    /// <summary>Estimated class prior (null for methods that do not estimate one).</summary>
    public double[]? ClassPrior { get; internal init; }

    /// <summary>GLAD's per-item inverse difficulty beta (higher is easier); null for other methods.</summary>
    public double[]? ItemEasiness { get; internal init; }

    /// <summary>EM iterations performed (0 for the one-pass methods).</summary>
    public int Iterations { get; internal init; }

    /// <summary>Whether the iterative method met its convergence criterion before its iteration limit.</summary>
    public bool Converged { get; internal init; } = true;

    /// <summary>P(answer <paramref name="answered"/> | truth <paramref name="truth"/>) for a worker, from <see cref="ConfusionMatrices"/>.</summary>
    public double Confusion(int worker, int truth, int answered) =>
        ConfusionMatrices is null
            ? throw new InvalidOperationException($"Method '{Method}' does not estimate confusion matrices.")
            : ConfusionMatrices[((worker * LabelCount) + truth) * LabelCount + answered];
}
