using System.CommandLine;
using System.Text.Json;
using Fairlabel.Audit;
using Fairlabel.Data;
using Microsoft.Extensions.Options;

namespace Fairlabel.Cli;

/// `fairlabel audit verify` and `fairlabel audit prove ITEM`.
public static class AuditCommands
{
    public static Command Create(string[] settings)
    {
        var audit = new Command("audit", "Check the audit log and its signed checkpoints");
        audit.Subcommands.Add(Verify(settings));
        audit.Subcommands.Add(Prove(settings));
        return audit;
    }

    static Command Verify(string[] settings)
    {
        var command = new HostCommand("verify", "Recompute the whole log from the database and check every checkpoint; one line per problem", settings);
        var publicKey = new Option<string>("--public-key")
        {
            Description = "The verifier key (name+id+key); default: the one of the signing key file (Audit:KeyFile)", HelpName = "KEY",
        };
        command.Options.Add(publicKey);
        command.SetAction((parsed, _) => command.WithDatabaseAsync(parsed, async services =>
        {
            var key = VerifierKey(services, parsed.GetValue(publicKey));
            if (key is null) return ExitCodes.Database;
            var started = System.Diagnostics.Stopwatch.StartNew();
            var result = await AuditVerifier.VerifyAsync(services.GetRequiredService<DatabaseSettings>(), key);
            foreach (var problem in result.Problems) Console.WriteLine(problem);
            Console.Error.WriteLine($"{result.Entries} entries, {result.Integrated} integrated, {result.Checkpoints} checkpoint(s) " +
                                    $"checked with {key.Name}+{key.Id:x8} in {started.Elapsed.TotalSeconds:0.00} s: " +
                                    (result.Problems.Count == 0 ? "no problem" : $"{result.Problems.Count} problem(s)"));
            return result.Problems.Count == 0 ? ExitCodes.Done : ExitCodes.Failed;
        }));
        return command;
    }

    static Command Prove(string[] settings)
    {
        var command = new HostCommand("prove", "Print the inclusion proofs of an item's entries in the latest checkpoint, as JSON", settings);
        var item = new Argument<long>("ITEM") { Description = "Id of the item" };
        command.Arguments.Add(item);
        command.SetAction((parsed, _) => command.WithDatabaseAsync(parsed, async services =>
        {
            var proofs = await AuditProofs.ForItemAsync(services.GetRequiredService<DatabaseSettings>(), parsed.GetValue(item));
            if (proofs.Checkpoint is null) throw new UsageException("no checkpoint has been signed yet");
            if (proofs.Entries.Count == 0) throw new UsageException($"item {proofs.ItemId} has no entry in the log up to the latest checkpoint");
            Console.WriteLine(JsonSerializer.Serialize(proofs, new JsonSerializerOptions(JsonSerializerOptions.Web)
            {
                WriteIndented = true,
                // Read by people and scripts, never put in a page: the note's em dash and base64 stay as they are.
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }));
            return ExitCodes.Done;
        }));
        return command;
    }

    static NoteKey? VerifierKey(IServiceProvider services, string? given)
    {
        try
        {
            if (given is not null) return NoteKey.ParseVerifier(given);
            var path = services.GetRequiredService<IOptions<AuditOptions>>().Value.KeyPath(services.GetRequiredService<IConfiguration>());
            if (File.Exists(path)) return NoteKey.ParsePrivate(File.ReadAllText(path));
            Console.Error.WriteLine($"No signing key at {path} (Audit:KeyFile); give the verifier key with --public-key.");
            return null;
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"The key is not usable: {e.Message}");
            return null;
        }
    }
}
