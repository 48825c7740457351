namespace Fairlabel.Cli;

/// The server's settings on the command line, as ASP.NET reads them: `--Section:Key VALUE` or
/// `--Section:Key=VALUE` (e.g. `--Database:Provider postgres`). The colon tells a setting from an
/// option, so a mistyped option is still refused rather than taken for a setting.
public static class HostSettings
{
    /// Splits the settings from the tokens the parser reads; each setting comes back as `--key=value`.
    public static (string[] Settings, string[] Tokens) Split(IReadOnlyList<string> args)
    {
        List<string> settings = [], tokens = [];
        for (var i = 0; i < args.Count; i++)
        {
            if (!IsSetting(args[i])) tokens.Add(args[i]);
            else if (args[i].Contains('=')) settings.Add(args[i]);
            else if (i + 1 < args.Count) settings.Add($"{args[i]}={args[++i]}");
            else throw new UsageException($"{args[i]} needs a value");
        }
        return ([.. settings], [.. tokens]);
    }

    static bool IsSetting(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal) && arg.Split('=', 2)[0].Contains(':');
}
