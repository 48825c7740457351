using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Fairlabel.Cli;

/// Every `fairlabel` verb, one parser: help for each, unknown options refused with a suggestion,
/// every error one line and an exit code (ExitCodes).
public static class FairlabelCommand
{
    const string SettingsHelp = """
        Settings: any setting of appsettings.json as --Section:Key VALUE, e.g.
          --Database:Provider postgres --ConnectionStrings:Fairlabel "Host=…"
        (or as environment variables: Database__Provider, ConnectionStrings__Fairlabel).
        """;

    public static RootCommand Create(string[] settings)
    {
        var root = new RootCommand("Fairlabel: human data work for AI (labeling, rating, ranking), self-hosted.");
        foreach (var verb in ServerCommands.Create(settings)) root.Subcommands.Add(verb);
        root.Subcommands.Add(DatabaseCommands.Migrate(settings));
        root.Subcommands.Add(ItemCommands.Import(settings));
        root.Subcommands.Add(ItemCommands.Export(settings));
        root.Subcommands.Add(UserCommands.Create(settings));
        root.Subcommands.Add(AuditCommands.Create(settings));
        root.Subcommands.Add(Pay.PayFloorCommands.Create(settings));
        foreach (var verb in QualityVerbs.Create()) root.Subcommands.Add(verb);

        var help = root.Options.OfType<HelpOption>().Single();
        var showHelp = new HelpWithEpilogue((HelpAction)help.Action!);
        help.Action = showHelp;
        // Bare `fairlabel` (or `fairlabel help [verb]`) shows help; serving is always asked for by name.
        root.SetAction(showHelp.Invoke);
        var helpVerb = new Command("help", "Show help for fairlabel or one of its commands");
        var topic = new Argument<string[]>("COMMAND") { Arity = ArgumentArity.ZeroOrMore };
        helpVerb.Arguments.Add(topic);
        helpVerb.SetAction(parsed => root.Parse([.. parsed.GetValue(topic) ?? [], "--help"]).Invoke());
        root.Subcommands.Add(helpVerb);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        ParseResult? parsed = null;
        try
        {
            var (settings, tokens) = HostSettings.Split(args);
            // `@file` is not read as a file of arguments: a password may well start with '@'.
            parsed = Create(settings).Parse(tokens, new ParserConfiguration { ResponseFileTokenReplacer = null });
            if (parsed.Action is ParseErrorAction)
            {
                foreach (var line in ErrorLines(parsed)) Console.Error.WriteLine($"{PathOf(parsed)}: {line}");
                return ExitCodes.Usage;
            }
            if (settings.Length > 0 && parsed.CommandResult.Command is not HostCommand && parsed.Action is not HelpWithEpilogue)
                throw new UsageException($"{settings[0].Split('=')[0]} is a server setting; this command reads none");
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"{PathOf(parsed)}: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"{PathOf(parsed)}: {e.GetBaseException().Message}");
            return ExitCodes.Failed;
        }
    }

    /// One line per mistake. An unknown token is the first mistake (what follows it is often its
    /// value, or an option it stood for) and names what it most likely meant.
    static IEnumerable<string> ErrorLines(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        if (command.TreatUnmatchedTokensAsErrors && parsed.UnmatchedTokens.Count > 0)
        {
            var token = parsed.UnmatchedTokens[0];
            var option = token.StartsWith('-');
            var names = option
                ? command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive)))
                    .Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))
                : command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
            var meant = Suggestion.Closest(token, names);
            return [$"unknown {(option ? "option" : command.Subcommands.Count > 0 ? "command" : "argument")} '{token}'" +
                (meant is null ? $" (see {PathOf(parsed)} --help)" : $"; did you mean '{meant}'?")];
        }
        // Some of the parser's own messages list their choices on lines of their own.
        return parsed.Errors.Select(e => string.Join(' ', e.Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)));
    }

    /// "fairlabel users add", for the start of an error line.
    static string PathOf(ParseResult? parsed)
    {
        if (parsed is null) return "fairlabel";
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command is RootCommand ? "fairlabel" : result.Command.Name);
        return string.Join(' ', names);
    }

    /// The standard help, then what every command shares: settings (for verbs that read them) and exit codes.
    sealed class HelpWithEpilogue(HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            standard.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.CommandResult.Command is HostCommand or RootCommand) output.WriteLine(SettingsHelp + "\n");
            output.WriteLine(ExitCodes.Help);
            return ExitCodes.Done;
        }
    }
}
