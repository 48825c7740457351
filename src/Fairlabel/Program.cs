using Fairlabel;
using Fairlabel.Cli;

// `fairlabel serve|demo` run the web server; every other verb is a command-line tool.
var (verb, rest) = CommandLine.Split(args);
if (verb is not (CommandLine.Serve or CommandLine.Demo)) return await CommandLine.RunToolAsync(verb, rest);

var app = FairlabelApp.Create(CommandLine.HostArguments(rest));
var problem = await app.PrepareAsync(demo: verb == CommandLine.Demo);
if (problem is not null)
{
    Console.Error.WriteLine(problem);
    return 3;
}
await app.RunAsync();
return 0;

public partial class Program;
