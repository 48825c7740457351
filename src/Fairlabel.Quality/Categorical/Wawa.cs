namespace Fairlabel.Quality;

/// <summary>
/// Wawa ("worker agreement with aggregate"): score each worker by how often they agree with
/// the majority vote, then vote again with those scores as weights.
/// </summary>
public static class Wawa
{
    /// <summary>Runs Wawa; confidence is the winning label's weighted vote share.</summary>
    public static CategoricalResult Aggregate(CrowdAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var ranks = Posteriors.LabelRanks(answers);
        var majority = MajorityVote.Aggregate(answers, ranks);
        var skill = majority.WorkerSkill;
        var weights = new double[skill.Length];
        for (var w = 0; w < weights.Length; w++)
        {
            weights[w] = double.IsNaN(skill[w]) ? 0.0 : skill[w];
        }

        var shares = MajorityVote.VoteShares(answers, weights);
        var decision = Posteriors.Decide(answers, shares, ranks);
        return new CategoricalResult("wawa", answers, shares, decision, skill);
    }
}
