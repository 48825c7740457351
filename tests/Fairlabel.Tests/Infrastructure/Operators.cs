using System.Runtime.CompilerServices;
using Fairlabel.Accounts;
using Fairlabel.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Fairlabel.Tests.Infrastructure;

/// The installation's operator, made as `fairlabel users add --role operator` makes one (on the
/// server's database), once per server.
public static class Operators
{
    static readonly ConditionalWeakTable<FairlabelServer, Task<Api>> Made = new();

    public static Task<Api> OfAsync(FairlabelServer server) => Made.GetValue(server, s => MakeAsync(s));

    static async Task<Api> MakeAsync(FairlabelServer server)
    {
        var email = $"operator-{Guid.NewGuid():n}@example.org";
        using (var scope = server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FairlabelDb>();
            var user = new User { Email = email, DisplayName = "Operator", Role = Roles.Operator, CreatedAt = DateTimeOffset.UtcNow };
            user.PasswordHash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, Api.Password);
            db.Users.Add(user);
            await db.SaveChangesAsync();
        }
        return await Api.LogInAsync(server, email, Api.Password);
    }
}
