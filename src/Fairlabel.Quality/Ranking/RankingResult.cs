namespace Fairlabel.Quality;

/// <summary>Scores and ranks of compared items, with bootstrap intervals when requested.</summary>
public sealed class RankingResult
{
    internal RankingResult(string method, IReadOnlyList<string> itemIds, double[] score, int iterations)
    {
        Method = method;
        ItemIds = itemIds;
        Score = score;
        Rank = Ranks(score);
        Iterations = iterations;
    }

    /// <summary>"bt" or "elo".</summary>
    public string Method { get; }

    /// <summary>Item ids by index.</summary>
    public IReadOnlyList<string> ItemIds { get; }

    /// <summary>Score per item index, higher is better (Bradley–Terry strengths sum to 1; Elo ratings).</summary>
    public double[] Score { get; }

    /// <summary>Rank per item index: 1 is best, equal scores share the better rank.</summary>
    public int[] Rank { get; }

    /// <summary>Lower end of the bootstrap interval per item, or null without bootstrap.</summary>
    public double[]? Lower { get; internal set; }

    /// <summary>Upper end of the bootstrap interval per item, or null without bootstrap.</summary>
    public double[]? Upper { get; internal set; }

    /// <summary>Iterations of the fit (comparisons processed, for Elo).</summary>
    public int Iterations { get; }

    private static int[] Ranks(double[] score)
    {
        var order = new int[score.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => score[b].CompareTo(score[a]));
        var rank = new int[score.Length];
        for (var r = 0; r < order.Length; r++)
        {
            rank[order[r]] = r > 0 && score[order[r]] == score[order[r - 1]] ? rank[order[r - 1]] : r + 1;
        }

        return rank;
    }
}
