using System.CommandLine;
using System.Globalization;
using Fairlabel.Cli;
using Fairlabel.Data;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Pay;

/// `fairlabel floors list` and `fairlabel floors set`: the pay-floor table from the shell.
public static class PayFloorCommands
{
    public static Command Create(string[] settings)
    {
        var floors = new Command("floors", "List or set the hourly pay floors projects must meet");
        var list = new HostCommand("list", "Every pay floor: country (* is the default), hourly amount, currency, source", settings);
        list.SetAction((parsed, _) => list.WithDatabaseAsync(parsed, async services =>
        {
            using var scope = services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<FairlabelDb>();
            foreach (var f in (await db.PayFloors.AsNoTracking().ToListAsync()).OrderBy(f => f.Country, StringComparer.Ordinal))
                Console.WriteLine($"{f.Country}\t{f.HourlyAmount.ToString("0.00##", CultureInfo.InvariantCulture)}\t{f.Currency}\t{f.Source}");
            return ExitCodes.Done;
        }));
        floors.Subcommands.Add(list);

        var set = new HostCommand("set", "Set the hourly pay floor of a country in a currency, with its source", settings);
        var country = new Option<string>("--country") { Description = "Two-letter country code, or * for the default", HelpName = "CC", Required = true };
        var currency = new Option<string>("--currency") { Description = "ISO 4217 code", HelpName = "CUR", Required = true };
        var hourly = new Option<decimal>("--hourly") { Description = "The least an hour of work may pay", HelpName = "AMOUNT", Required = true };
        var source = new Option<string>("--source") { Description = "Where the figure comes from", HelpName = "TEXT", Required = true };
        foreach (var option in (Option[])[country, currency, hourly, source]) set.Options.Add(option);
        set.SetAction((parsed, _) => set.WithDatabaseAsync(parsed, async services =>
        {
            var input = new PayFloorInput(parsed.GetValue(country), parsed.GetValue(currency), parsed.GetValue(hourly), parsed.GetValue(source));
            if (input.Validate() is { Any: true } errors)
            {
                foreach (var (path, message) in errors.All) Console.Error.WriteLine($"fairlabel floors set: --{Option(path)} {message}");
                return ExitCodes.Usage;
            }
            using var scope = services.CreateScope();
            var floor = await input.SaveAsync(scope.ServiceProvider.GetRequiredService<FairlabelDb>(), null, DateTimeOffset.UtcNow);
            Console.WriteLine($"{floor.Country}\t{floor.HourlyAmount.ToString("0.00##", CultureInfo.InvariantCulture)}\t{floor.Currency}\t{floor.Source}");
            return ExitCodes.Done;
        }));
        floors.Subcommands.Add(set);
        return floors;
    }

    static string Option(string field) => field == "hourlyAmount" ? "hourly" : field;
}
