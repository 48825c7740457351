using System.CommandLine;
using Fairlabel.Data;

namespace Fairlabel.Cli;

/// A verb that runs with the server's configuration: appsettings.json, the environment variables,
/// `--data DIR`, and any `--Section:Key VALUE` setting given on the command line.
public class HostCommand : Command
{
    readonly string[] _settings;

    public HostCommand(string name, string description, string[] settings) : base(name, description)
    {
        _settings = settings;
        Options.Add(Data);
    }

    public Option<string> Data { get; } = new("--data")
    {
        Description = "Folder of the SQLite database and the uploads (default ./data)", HelpName = "DIR",
    };

    /// The arguments the ASP.NET host reads its configuration from.
    public string[] HostArguments(ParseResult parsed, params string[] more) =>
        [.. _settings, .. parsed.GetValue(Data) is { } data ? ["--DataDirectory=" + data] : Array.Empty<string>(), .. more];

    public WebApplication CreateApp(ParseResult parsed) => FairlabelApp.Create(HostArguments(parsed));

    /// Runs a tool on the database once it answers and is migrated; otherwise prints why.
    public async Task<int> WithDatabaseAsync(ParseResult parsed, Func<IServiceProvider, Task<int>> work)
    {
        await using var app = CreateApp(parsed);
        if (await app.Services.CheckAsync() is { } problem)
        {
            Console.Error.WriteLine(problem);
            return ExitCodes.Database;
        }
        return await work(app.Services);
    }
}

/// A mistake of the person at the command line: printed as one line, exit code 2.
public sealed class UsageException(string message) : Exception(message);
