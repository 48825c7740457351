using System.CommandLine;
using Fairlabel.Accounts;
using Fairlabel.Data;
using Fairlabel.Events;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Cli;

/// `fairlabel users list` and `fairlabel users add`, for operators setting up an installation.
public static class UserCommands
{
    public static Command Create(string[] settings)
    {
        var users = new Command("users", "List accounts, or create one from the shell");
        users.Subcommands.Add(List(settings));
        users.Subcommands.Add(Add(settings));
        return users;
    }

    static HostCommand List(string[] settings)
    {
        var command = new HostCommand("list", "Every account: id, email, role, organisation", settings);
        command.SetAction((parsed, _) => command.WithDatabaseAsync(parsed, async services =>
        {
            using var scope = services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<FairlabelDb>();
            foreach (var u in await db.Users.AsNoTracking().Include(u => u.Organisation).OrderBy(u => u.Id).ToListAsync())
                Console.WriteLine($"{u.Id}\t{u.Email}\t{u.Role}\t{u.Organisation?.Name ?? "-"}");
            return ExitCodes.Done;
        }));
        return command;
    }

    static HostCommand Add(string[] settings)
    {
        var command = new HostCommand("add", "Create an account; a requester joins an organisation by its id, or creates a new one", settings);
        var email = new Option<string>("--email") { Description = "The account's email", HelpName = "E", Required = true };
        var password = new Option<string>("--password") { Description = "12 to 256 characters, not the email, not a common password", HelpName = "P", Required = true };
        var role = new Option<string>("--role") { Description = "The account's role", HelpName = "operator|requester|tasker", Required = true };
        role.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is not (Roles.Operator or Roles.Requester or Roles.Tasker))
                r.AddError("--role must be operator, requester or tasker");
        });
        var name = new Option<string>("--name") { Description = "Display name (default: the email)", HelpName = "N" };
        var organisationId = new Option<int?>("--organisation-id")
        {
            Description = "A requester joins this existing organisation, after a confirmation that shows it", HelpName = "ID",
        };
        var newOrganisation = new Option<string>("--new-organisation")
        {
            Description = "A requester creates a new organisation of this name and owns it", HelpName = "NAME",
        };
        var yes = new Option<bool>("--yes") { Description = "Join the --organisation-id without asking (for scripts)" };
        // A name never identifies an organisation (names repeat): refused with what to use instead.
        var byName = new Option<string>("--organisation") { Hidden = true };
        foreach (var option in (Option[])[email, password, role, name, organisationId, newOrganisation, yes, byName])
            command.Options.Add(option);
        command.Validators.Add(r =>
        {
            var joins = r.GetResult(organisationId) is not null;
            var creates = r.GetResult(newOrganisation) is not null;
            var isRequester = r.GetValue(role) == Roles.Requester;
            if (r.GetResult(byName) is not null)
                r.AddError("--organisation is not accepted, as a name does not identify an organisation: " +
                           "use --organisation-id ID to join one, or --new-organisation NAME to create one");
            else if (joins && creates) r.AddError("use either --organisation-id or --new-organisation, not both");
            else if (isRequester && !joins && !creates)
                r.AddError("a requester needs --organisation-id ID (join one) or --new-organisation NAME (create one)");
            else if (!isRequester && (joins || creates)) r.AddError("only a requester belongs to an organisation");
        });
        command.SetAction((parsed, _) => command.WithDatabaseAsync(parsed, services => AddAsync(services,
            new NewAccount(parsed.GetRequiredValue(email), parsed.GetRequiredValue(password), parsed.GetRequiredValue(role),
                parsed.GetValue(name), parsed.GetValue(organisationId), parsed.GetValue(newOrganisation), parsed.GetValue(yes)),
            Terminal.FromConsole())));
        return command;
    }

    /// What `users add` was asked to create.
    public sealed record NewAccount(string Email, string Password, string Role, string? Name,
        int? OrganisationId, string? NewOrganisation, bool Confirmed);

    public static async Task<int> AddAsync(IServiceProvider services, NewAccount account, Terminal terminal)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FairlabelDb>();
        var email = account.Email.Trim().ToLowerInvariant();
        // The rule sign-up and a password change apply: an operator's account is no easier to guess.
        if (PasswordPolicy.Problem(account.Password, email) is { } weak) throw new UsageException($"--password {weak}");
        if (await db.Users.AnyAsync(u => u.Email == email)) throw new UsageException($"{email} already has an account");
        var now = DateTimeOffset.UtcNow;
        var user = new User { Email = email, DisplayName = account.Name ?? email, Role = account.Role, CreatedAt = now };
        if (account.NewOrganisation is { } organisationName)
        {
            if (string.IsNullOrWhiteSpace(organisationName)) throw new UsageException("--new-organisation needs a name");
            user.Organisation = new Organisation { Name = organisationName.Trim(), CreatedAt = now };
            user.OrganisationRole = "owner";
        }
        else if (account.OrganisationId is { } id)
        {
            var organisation = await OrganisationSummary.FindAsync(db, id) ?? throw new UsageException($"organisation {id} does not exist");
            if (!ConfirmJoin(terminal, email, organisation, account.Confirmed))
            {
                terminal.Error.WriteLine("Nothing changed.");
                return ExitCodes.Failed;
            }
            user.OrganisationId = id;
            user.OrganisationRole = Roles.Requester;
        }
        user.PasswordHash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, account.Password);
        db.Users.Add(user);
        await db.SaveChangesAsync();
        db.Record("account.created", null, user.OrganisationId, data: new { user.Role, via = "cli" });
        await db.SaveChangesAsync();
        terminal.Out.WriteLine($"Created {account.Role} {email} (id {user.Id})" +
            (user.OrganisationId is { } joined ? $" in organisation {joined} as {user.OrganisationRole}." : "."));
        return ExitCodes.Done;
    }

    /// Joining gives the new account the organisation's projects, data and exports: the operator
    /// sees which organisation the id names (a mistyped id is someone else's) and says yes.
    static bool ConfirmJoin(Terminal terminal, string email, OrganisationSummary organisation, bool confirmed)
    {
        terminal.Out.WriteLine(organisation.Describe());
        if (confirmed) return true;
        if (!terminal.IsInteractive)
            throw new UsageException($"joining organisation {organisation.Id} needs a confirmation: run in a terminal, or add --yes");
        return terminal.Confirm($"Add {email} to it as a requester?");
    }
}
