namespace Fairlabel.Quality;

/// <summary>One aggregated number per item, and for weighting methods the weight of each worker.</summary>
public sealed class NumericResult
{
    internal NumericResult(string method, double[] value, double[] workerWeight)
    {
        Method = method;
        Value = value;
        WorkerWeight = workerWeight;
    }

    /// <summary>The method that produced this result.</summary>
    public string Method { get; }

    /// <summary>Aggregated value per item index; NaN when the item has no answers.</summary>
    public double[] Value { get; }

    /// <summary>Relative weight of each worker's answers (all 1 for mean and median).</summary>
    public double[] WorkerWeight { get; }
}
