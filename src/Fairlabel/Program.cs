using System.Reflection;
using Fairlabel.Cli;

// The test server (WebApplicationFactory) runs this entry point inside its own process, with the
// host's settings as arguments: it serves. Run as `fairlabel`, the verb says what to do.
if (Assembly.GetEntryAssembly() != typeof(Program).Assembly) return await ServerCommands.RunAsync(args, demo: false);
return await FairlabelCommand.RunAsync(args);

public partial class Program;
