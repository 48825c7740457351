using System.CommandLine;
using Fairlabel.Data;

namespace Fairlabel.Cli;

/// `fairlabel migrate`: applies the configured engine's migrations, the only verb that changes the schema.
public static class DatabaseCommands
{
    public static Command Migrate(string[] settings)
    {
        var command = new HostCommand("migrate", "Apply the database migrations of the configured engine", settings);
        command.SetAction(async (parsed, _) =>
        {
            await using var app = command.CreateApp(parsed);
            var target = app.Services.GetRequiredService<DatabaseSettings>().Target;
            try
            {
                await app.Services.MigrateAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Console.Error.WriteLine($"Cannot reach or migrate the database ({target}): {e.GetBaseException().Message}");
                return ExitCodes.Database;
            }
            Console.WriteLine($"Migrated {target}.");
            return ExitCodes.Done;
        });
        return command;
    }
}
