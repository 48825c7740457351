namespace Fairlabel.Quality;

/// <summary>Entry point for categorical truth inference by method name.</summary>
public static class Categorical
{
    /// <summary>The method names <see cref="Aggregate"/> accepts.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["mv", "wawa", "ds", "onecoin-ds", "glad", "mace"];

    /// <summary>
    /// Infers one label per item with the named method: "mv", "wawa", "ds", "onecoin-ds", "glad" or "mace".
    /// </summary>
    /// <exception cref="ArgumentException">The method name is unknown.</exception>
    public static CategoricalResult Aggregate(string method, CrowdAnswers answers) => method switch
    {
        "mv" => MajorityVote.Aggregate(answers),
        "wawa" => Wawa.Aggregate(answers),
        "ds" => DawidSkene.Aggregate(answers),
        "onecoin-ds" => OneCoinDawidSkene.Aggregate(answers),
        "glad" => Glad.Aggregate(answers),
        "mace" => Mace.Aggregate(answers),
        _ => throw new ArgumentException($"Unknown categorical method '{method}'; expected one of {string.Join(", ", Methods)}.", nameof(method)),
    };
}
