using System.CommandLine;

namespace Fairlabel.Cli.Quality;

/// <summary>The options the quality verbs share: their files and the columns to read.</summary>
internal static class QualityOptions
{
    public static Option<FileInfo> InputFile(string description)
    {
        var input = ExistingFile("--input", description);
        input.Required = true;
        return input;
    }

    public static Option<FileInfo> ExistingFile(string name, string description)
    {
        var option = new Option<FileInfo>(name) { Description = description, HelpName = "file" };
        option.AcceptExistingOnly();
        return option;
    }

    public static Option<FileInfo> Output(string description) => new("--output") { Description = description, HelpName = "file" };

    public static Option<string> Column(string name, string holds) => new(name) { Description = $"Name of the column with {holds}.", HelpName = "name" };

    public static AnswerColumnOptions AnswerColumns() => new(
        Column("--item-column", "the item (default: the first column)"),
        Column("--worker-column", "the worker (default: the second column)"),
        Column("--answer-column", "the answer (default: the third column)"));
}

/// <summary>--item-column, --worker-column and --answer-column.</summary>
internal sealed record AnswerColumnOptions(Option<string> Item, Option<string> Worker, Option<string> Answer)
{
    public ColumnNames Read(ParseResult result) => new(result.GetValue(Item), result.GetValue(Worker), result.GetValue(Answer));
}
