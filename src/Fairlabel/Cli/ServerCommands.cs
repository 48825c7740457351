using System.CommandLine;

namespace Fairlabel.Cli;

/// `fairlabel serve` and `fairlabel demo`: the web server and API.
public static class ServerCommands
{
    public static IEnumerable<Command> Create(string[] settings)
    {
        yield return Verb("serve", "Serve the web UI and API; refuses an unmigrated or unreachable database", settings, demo: false);
        yield return Verb("demo", "Migrate, seed the demo organisation (once), and serve", settings, demo: true);
    }

    static HostCommand Verb(string name, string description, string[] settings, bool demo)
    {
        var command = new HostCommand(name, description, settings);
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on, separated by ';' (default http://localhost:5000)", HelpName = "URL",
        };
        command.Options.Add(urls);
        command.SetAction((parsed, _) => RunAsync(
            command.HostArguments(parsed, parsed.GetValue(urls) is { } u ? ["--urls=" + u] : []), demo));
        return command;
    }

    /// Checks (and for the demo migrates and seeds) the database, then serves until stopped.
    public static async Task<int> RunAsync(string[] hostArguments, bool demo)
    {
        var app = FairlabelApp.Create(hostArguments);
        if (await app.PrepareAsync(demo) is { } problem)
        {
            Console.Error.WriteLine(problem);
            return ExitCodes.Database;
        }
        await app.RunAsync();
        return ExitCodes.Done;
    }
}
