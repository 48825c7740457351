using Fairlabel.Accounts;
using Fairlabel.Data;
using Fairlabel.Events;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Cli;

/// `fairlabel users list` and `fairlabel users add`, for operators setting up an installation.
static class UserCommands
{
    public static async Task<int> RunAsync(IServiceProvider services, ToolOptions options)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FairlabelDb>();
        switch (options.Positional.FirstOrDefault())
        {
            case "list":
                foreach (var u in await db.Users.AsNoTracking().Include(u => u.Organisation).OrderBy(u => u.Id).ToListAsync())
                    Console.WriteLine($"{u.Id}\t{u.Email}\t{u.Role}\t{u.Organisation?.Name ?? "-"}");
                return 0;
            case "add":
                var role = options.Required("role");
                if (role is not (Roles.Operator or Roles.Requester or Roles.Tasker))
                    throw new UsageException("--role must be operator, requester or tasker");
                var password = options.Required("password");
                if (password.Length < 10) throw new UsageException("--password must be at least 10 characters");
                var email = options.Required("email").Trim().ToLowerInvariant();
                if (await db.Users.AnyAsync(u => u.Email == email)) throw new UsageException($"{email} already has an account");
                var now = DateTimeOffset.UtcNow;
                var user = new User { Email = email, DisplayName = options.Get("name") ?? email, Role = role, CreatedAt = now };
                if (role == Roles.Requester)
                {
                    var orgName = options.Required("organisation");
                    user.Organisation = await db.Organisations.FirstOrDefaultAsync(o => o.Name == orgName)
                        ?? new Organisation { Name = orgName, CreatedAt = now };
                    user.OrganisationRole = "owner";
                }
                user.PasswordHash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, password);
                db.Users.Add(user);
                await db.SaveChangesAsync();
                db.Record("account.created", null, user.OrganisationId, data: new { user.Role, via = "cli" });
                await db.SaveChangesAsync();
                Console.WriteLine($"Created {role} {email} (id {user.Id}).");
                return 0;
            default:
                throw new UsageException("use 'users list' or 'users add --email E --password P --role R'");
        }
    }
}
