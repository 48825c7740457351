using System.CommandLine;
using Fairlabel.Cli;

namespace Fairlabel.Tests.Operations;

/// How `fairlabel`'s arguments are read, without starting a process.
public sealed class CommandLineParsingTests
{
    [Fact]
    public void Settings_are_taken_out_with_their_values_and_options_stay()
    {
        var (settings, tokens) = HostSettings.Split(
            ["import", "--Database:Provider", "postgres", "--project", "3", "--ConnectionStrings:Fairlabel=Host=x;Port=1", "items.jsonl"]);
        Assert.Equal(["--Database:Provider=postgres", "--ConnectionStrings:Fairlabel=Host=x;Port=1"], settings);
        Assert.Equal(["import", "--project", "3", "items.jsonl"], tokens);
    }

    [Fact]
    public void A_setting_without_a_value_is_a_usage_error()
    {
        var error = Assert.Throws<UsageException>(() => HostSettings.Split(["serve", "--Database:Provider"]));
        Assert.Equal("--Database:Provider needs a value", error.Message);
    }

    [Fact]
    public void A_host_verb_gives_the_host_its_settings_and_data_folder()
    {
        var (settings, tokens) = HostSettings.Split(["import", "--project", "3", "--Database:Provider", "postgres", "items.jsonl", "--data", "/srv/fl"]);
        var parsed = FairlabelCommand.Create(settings).Parse(tokens);
        Assert.Empty(parsed.Errors);
        var import = Assert.IsType<HostCommand>(parsed.CommandResult.Command);
        Assert.Equal(["--Database:Provider=postgres", "--DataDirectory=/srv/fl"], import.HostArguments(parsed));
        Assert.Equal("items.jsonl", parsed.GetValue<string>("FILE"));
    }

    [Fact]
    public void The_closest_name_within_a_few_edits_is_suggested()
    {
        Assert.Equal("--project", Suggestion.Closest("--projct", ["--format", "--project", "--output"]));
        Assert.Equal("export", Suggestion.Closest("exprot", ["serve", "export", "import"]));
        Assert.Null(Suggestion.Closest("--frobnicate", ["--format", "--project"]));
        Assert.Equal(3, Suggestion.Distance("kitten", "sitting"));
    }
}
