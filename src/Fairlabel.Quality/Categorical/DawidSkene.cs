using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        // it contributes to each candidate truth. cell[a] is where answer a's entries start, so
        // the inner loops read one int per answer instead of a worker and a label.
        // Both carry Padding unused entries at the end, so the vectorised E-step may read (and
        // add zeros to) whole vectors past the last cell.
        var counts = new double[(answers.WorkerCount * k * k) + Padding];
        var logConfusion = new double[counts.Length];
        var cell = CellOffsets(answers);

        // Two posterior buffers: the E-step reads the current posterior (to score it, for the
        // stopping rule) while it writes the next one, so the bound costs no extra pass.
        var current = MajorityVote.VoteShares(answers, weights: null);
        // The first E-step's bound is never judged (see below), so the log of the initial
        // shares is not needed: zeros stand in for it.
        var currentLog = new double[current.Length];
        var next = new double[current.Length];
        var nextLog = new double[current.Length];

        ItemRanges.Accumulate(answers, counts, (from, to, target) => Scatter(answers, cell, current, k, from, to, target));
        MStep(answers, current, prior, logPrior, counts, logConfusion);
        var previous = double.NegativeInfinity;
        var iterations = 0;
        var converged = false;
        while (iterations < Convergence.MaxIterations)
        {
            // The E-step also scatters the posterior it writes into the counts of the next
            // M-step (same ranges, same order as a separate pass); they go unused if EM stops here.
            var posterior = next;
            var posteriorLog = nextLog;
            var prior0 = logPrior;
            var before = current;
            var beforeLog = currentLog;
            var confusion = logConfusion;
            if (!ItemRanges.TrySumAndAccumulate(
                    answers,
                    counts,
                    (from, to, target) => EStep(answers, cell, prior0, confusion, before, beforeLog, posterior, posteriorLog, from, to, target),
                    out var total))
            {
                total = ItemRanges.Sum(answers, (from, to) => EStep(answers, cell, prior0, confusion, before, beforeLog, posterior, posteriorLog, from, to, null));
                ItemRanges.Accumulate(answers, counts, (from, to, target) => Scatter(answers, cell, posterior, k, from, to, target));
            }

            var bound = total / answers.AnswerCount;

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

        var confusionMatrices = ToTruthMajor(logConfusion, answers.WorkerCount, k);
        var decision = Posteriors.Decide(answers, current, Posteriors.LabelRanks(answers));
        return new CategoricalResult("ds", answers, current, decision, ExpectedAccuracy(confusionMatrices, prior, answers))
        {
            ConfusionMatrices = confusionMatrices,
            ClassPrior = prior,
            Iterations = iterations,
            Converged = converged,
        };
    }

    // Entries after the last confusion cell: two 4-wide vectors' worth.
    private const int Padding = 8;
    private static int[] CellOffsets(CrowdAnswers answers)
    {
        var k = answers.LabelCount;
        var workers = answers.AnswerWorker;
        var labels = answers.AnswerLabel;
        var cell = new int[workers.Length];
        for (var a = 0; a < cell.Length; a++)
        {
            cell[a] = ((workers[a] * k) + labels[a]) * k;
        }

        return cell;
    }

    /// <summary>Expected counts: every answer adds its item's posterior to the row of its label.</summary>
    private static double Scatter(CrowdAnswers answers, int[] cell, double[] posterior, int k, int from, int to, double[] target)
    {
        var start = answers.ItemStart;
        ref var posteriorRef = ref MemoryMarshal.GetArrayDataReference(posterior);
        ref var targetRef = ref MemoryMarshal.GetArrayDataReference(target);
        for (var i = from; i < to; i++)
        {
            ref var row = ref Unsafe.Add(ref posteriorRef, i * k);
            for (var a = start[i]; a < start[i + 1]; a++)
            {
                AddRow(ref Unsafe.Add(ref targetRef, cell[a]), ref row, k);
            }
        }

        return 0.0;
    }

    /// <summary>M-step from the posterior and its expected counts (already scattered into <paramref name="counts"/>).</summary>
    private static void MStep(CrowdAnswers answers, double[] posterior, double[] prior, double[] logPrior, double[] counts, double[] logConfusion)
    {
        var k = prior.Length;
        Posteriors.EstimatePrior(answers, posterior, prior);
        for (var c = 0; c < k; c++)
        {
            logPrior[c] = Math.Log(prior[c]);
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
                var row = block.Slice(l * k, k);
                for (var c = 0; c < k; c++)
                {
                    row[c] = Math.Max(row[c], Smoothing);
                    total[c] += row[c];
                }
            }

            for (var l = 0; l < k; l++)
            {
                var row = block.Slice(l * k, k);
                var logRow = logBlock.Slice(l * k, k);
                for (var c = 0; c < k; c++)
                {
                    logRow[c] = Math.Log(row[c] / total[c]);
                }
            }
        }
    }

    /// <summary>
    /// Writes the posterior under the current parameters into <paramref name="next"/> and returns
    /// the stopping objective of the posterior it replaces, computed as crowd-kit 1.4.1 does so
    /// that "converged" means the same in both (ADR 0103): expected complete-data
    /// log-likelihood plus entropy, with the log prior counted once per answer, not per item.
    /// With a <paramref name="scatter"/> target, also adds each new posterior row to the
    /// expected counts of its answers, as the next M-step's scatter would.
    /// </summary>
    private static double EStep(CrowdAnswers answers, int[] cell, double[] logPrior, double[] logConfusion, double[] current, double[] currentLog, double[] next, double[] nextLog, int from, int to, double[]? scatter) =>
        Vector256.IsHardwareAccelerated && logPrior.Length <= 8
            ? EStepVector(answers, cell, logPrior, logConfusion, current, currentLog, next, nextLog, from, to, scatter)
            : EStepScalar(answers, cell, logPrior, logConfusion, current, currentLog, next, nextLog, from, to, scatter);

    /// <summary>
    /// <see cref="EStep"/> for up to 8 classes: the K scores of an item are summed in one or two
    /// 4-wide registers (lanes past K collect values that are never read), and the new posterior
    /// row is scattered as whole vectors whose lanes past K are zero, so neighbouring cells get
    /// + 0.0, which leaves them unchanged. Every lane sees the same additions, in the same order,
    /// as in <see cref="EStepScalar"/>, so results are bit-for-bit the same.
    /// </summary>
    private static double EStepVector(CrowdAnswers answers, int[] cell, double[] logPrior, double[] logConfusion, double[] current, double[] currentLog, double[] next, double[] nextLog, int from, int to, double[]? scatter)
    {
        var k = logPrior.Length;
        var wide = k > 4;
        var start = answers.ItemStart;
        Span<double> padded = stackalloc double[8];
        logPrior.CopyTo(padded);
        var priorLo = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(padded));
        var priorHi = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(padded), 4);
        Span<double> scoreBuffer = stackalloc double[8];
        Span<double> rowBuffer = stackalloc double[8];
        rowBuffer.Clear();
        ref var scoreBuf = ref MemoryMarshal.GetReference(scoreBuffer);
        ref var rowBuf = ref MemoryMarshal.GetReference(rowBuffer);
        ref var priorRef = ref MemoryMarshal.GetArrayDataReference(logPrior);
        ref var confusionRef = ref MemoryMarshal.GetArrayDataReference(logConfusion);
        ref var currentRef = ref MemoryMarshal.GetArrayDataReference(current);
        ref var currentLogRef = ref MemoryMarshal.GetArrayDataReference(currentLog);
        ref var nextRef = ref MemoryMarshal.GetArrayDataReference(next);
        ref var nextLogRef = ref MemoryMarshal.GetArrayDataReference(nextLog);
        ref var scatterRef = ref scatter is null ? ref Unsafe.NullRef<double>() : ref MemoryMarshal.GetArrayDataReference(scatter);
        var bound = 0.0;
        for (var i = from; i < to; i++)
        {
            var first = start[i];
            var end = start[i + 1];
            var m = end - first;
            if (m == 0)
            {
                continue;
            }

            var lo = priorLo;
            var hi = priorHi;
            if (wide)
            {
                for (var a = first; a < end; a++)
                {
                    ref var source = ref Unsafe.Add(ref confusionRef, cell[a]);
                    lo += Vector256.LoadUnsafe(ref source);
                    hi += Vector256.LoadUnsafe(ref source, 4);
                }
            }
            else
            {
                for (var a = first; a < end; a++)
                {
                    lo += Vector256.LoadUnsafe(ref Unsafe.Add(ref confusionRef, cell[a]));
                }
            }

            lo.StoreUnsafe(ref scoreBuf);
            hi.StoreUnsafe(ref scoreBuf, 4);

            ref var q = ref Unsafe.Add(ref currentRef, i * k);
            ref var logQ = ref Unsafe.Add(ref currentLogRef, i * k);
            var max = double.NegativeInfinity;
            for (var c = 0; c < k; c++)
            {
                var score = Unsafe.Add(ref scoreBuf, c);
                var qc = Unsafe.Add(ref q, c);
                if (qc > 0)
                {
                    bound += qc * (score + ((m - 1) * Unsafe.Add(ref priorRef, c)) - Unsafe.Add(ref logQ, c));
                }

                if (score > max)
                {
                    max = score;
                }
            }

            var sum = 0.0;
            for (var c = 0; c < k; c++)
            {
                var e = Math.Exp(Unsafe.Add(ref scoreBuf, c) - max);
                Unsafe.Add(ref rowBuf, c) = e;
                sum += e;
            }

            var inv = 1.0 / sum;
            var logNormaliser = max + Math.Log(sum);
            ref var row = ref Unsafe.Add(ref nextRef, i * k);
            ref var logRow = ref Unsafe.Add(ref nextLogRef, i * k);
            for (var c = 0; c < k; c++)
            {
                Unsafe.Add(ref row, c) = Unsafe.Add(ref rowBuf, c) * inv;
                Unsafe.Add(ref logRow, c) = Unsafe.Add(ref scoreBuf, c) - logNormaliser;
            }

            if (scatter is not null)
            {
                // Lanes past K of rowBuf are always zero.
                var invVector = Vector256.Create(inv);
                var rowLo = Vector256.LoadUnsafe(ref rowBuf) * invVector;
                if (wide)
                {
                    var rowHi = Vector256.LoadUnsafe(ref rowBuf, 4) * invVector;
                    for (var a = first; a < end; a++)
                    {
                        ref var target = ref Unsafe.Add(ref scatterRef, cell[a]);
                        (Vector256.LoadUnsafe(ref target) + rowLo).StoreUnsafe(ref target);
                        (Vector256.LoadUnsafe(ref target, 4) + rowHi).StoreUnsafe(ref target, 4);
                    }
                }
                else
                {
                    for (var a = first; a < end; a++)
                    {
                        ref var target = ref Unsafe.Add(ref scatterRef, cell[a]);
                        (Vector256.LoadUnsafe(ref target) + rowLo).StoreUnsafe(ref target);
                    }
                }
            }
        }

        return bound;
    }

    private static double EStepScalar(CrowdAnswers answers, int[] cell, double[] logPrior, double[] logConfusion, double[] current, double[] currentLog, double[] next, double[] nextLog, int from, int to, double[]? scatter)
    {
        var k = logPrior.Length;
        var start = answers.ItemStart;
        ref var priorRef = ref MemoryMarshal.GetArrayDataReference(logPrior);
        ref var confusionRef = ref MemoryMarshal.GetArrayDataReference(logConfusion);
        ref var currentRef = ref MemoryMarshal.GetArrayDataReference(current);
        ref var currentLogRef = ref MemoryMarshal.GetArrayDataReference(currentLog);
        ref var nextRef = ref MemoryMarshal.GetArrayDataReference(next);
        ref var nextLogRef = ref MemoryMarshal.GetArrayDataReference(nextLog);
        ref var scatterRef = ref scatter is null ? ref Unsafe.NullRef<double>() : ref MemoryMarshal.GetArrayDataReference(scatter);
        var bound = 0.0;
        for (var i = from; i < to; i++)
        {
            var first = start[i];
            var end = start[i + 1];
            var m = end - first;
            if (m == 0)
            {
                continue;
            }

            // score = log prior + the log confusion cell of every answer: log P(truth, answers).
            ref var score = ref Unsafe.Add(ref nextLogRef, i * k);
            for (var c = 0; c < k; c++)
            {
                Unsafe.Add(ref score, c) = Unsafe.Add(ref priorRef, c);
            }

            for (var a = first; a < end; a++)
            {
                AddRow(ref score, ref Unsafe.Add(ref confusionRef, cell[a]), k);
            }

            ref var q = ref Unsafe.Add(ref currentRef, i * k);
            ref var logQ = ref Unsafe.Add(ref currentLogRef, i * k);
            for (var c = 0; c < k; c++)
            {
                var qc = Unsafe.Add(ref q, c);
                if (qc > 0)
                {
                    bound += qc * (Unsafe.Add(ref score, c) + ((m - 1) * Unsafe.Add(ref priorRef, c)) - Unsafe.Add(ref logQ, c));
                }
            }

            // Normalise (Posteriors.NormalizeLog, operation for operation) into next, and keep
            // its log in nextLog.
            ref var row = ref Unsafe.Add(ref nextRef, i * k);
            var max = double.NegativeInfinity;
            for (var c = 0; c < k; c++)
            {
                if (Unsafe.Add(ref score, c) > max)
                {
                    max = Unsafe.Add(ref score, c);
                }
            }

            var sum = 0.0;
            for (var c = 0; c < k; c++)
            {
                var e = Math.Exp(Unsafe.Add(ref score, c) - max);
                Unsafe.Add(ref row, c) = e;
                sum += e;
            }

            var inv = 1.0 / sum;
            var logNormaliser = max + Math.Log(sum);
            for (var c = 0; c < k; c++)
            {
                Unsafe.Add(ref row, c) *= inv;
                Unsafe.Add(ref score, c) -= logNormaliser;
            }

            if (scatter is not null)
            {
                for (var a = first; a < end; a++)
                {
                    AddRow(ref Unsafe.Add(ref scatterRef, cell[a]), ref row, k);
                }
            }
        }

        return bound;
    }

    /// <summary>dst[c] += src[c] for c &lt; k; element-wise, so vectorising does not change any sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(ref double dst, ref double src, int k)
    {
        var c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c + 4 <= k; c += 4)
            {
                (Vector256.LoadUnsafe(ref dst, (nuint)c) + Vector256.LoadUnsafe(ref src, (nuint)c)).StoreUnsafe(ref dst, (nuint)c);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; c + 2 <= k; c += 2)
            {
                (Vector128.LoadUnsafe(ref dst, (nuint)c) + Vector128.LoadUnsafe(ref src, (nuint)c)).StoreUnsafe(ref dst, (nuint)c);
            }
        }

        for (; c < k; c++)
        {
            Unsafe.Add(ref dst, c) += Unsafe.Add(ref src, c);
        }
    }

    private static double[] ToTruthMajor(double[] logConfusion, int workers, int k)
    {
        var confusion = new double[workers * k * k];
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
