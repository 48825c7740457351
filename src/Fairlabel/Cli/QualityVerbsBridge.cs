using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Fairlabel.Quality.CommandLine;

namespace Fairlabel.Cli;

/// aggregate, rank and agreement: their arguments go as they are to the quality library's own
/// parser (QualityCommands), which checks them and prints its usage on a mistake.
public static class QualityVerbs
{
    public static IEnumerable<Command> Create() =>
        QualityCommands.Verbs.Select(verb =>
        {
            var command = new Command(verb, Summary(verb)) { TreatUnmatchedTokensAsErrors = false };
            command.SetAction(parsed => QualityCommands.Run([verb, .. parsed.UnmatchedTokens], Console.Out, Console.Error));
            // Its options are the library's: its help is the library's usage.
            command.Options.Add(new HelpOption { Action = new UsageAction() });
            return command;
        });

    sealed class UsageAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult) => QualityCommands.Run(["help"], Console.Out, Console.Error);
    }

    static string Summary(string verb) => verb switch
    {
        "aggregate" => "Truth inference on a CSV of answers (majority vote, Dawid-Skene, GLAD, MACE, …)",
        "rank" => "Scores from pairwise comparisons (Bradley-Terry, Elo)",
        _ => "Agreement between annotators (Krippendorff's alpha, Fleiss, Cohen)",
    };
}
