using System.Runtime.CompilerServices;
using Fairlabel.Accounts;
using Fairlabel.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;

namespace Fairlabel.Tests.Infrastructure;

/// The installation's operator, made as `fairlabel users add --role operator` makes one (on the
/// server's database), once per server.
public static class Operators
{
    static readonly ConditionalWeakTable<FairlabelServer, Task<Api>> Made = new();

    public static Task<Api> OfAsync(FairlabelServer server) => Made.GetValue(server, s => MakeAsync(s));

    static readonly System.Collections.Concurrent.ConcurrentDictionary<Uri, Lazy<Task<Api>>> ByUrl = new();

    /// A server in another process: its operator is made with `fairlabel users add` on its database.
    public static void Register(Uri server, string[] serverArguments) =>
        ByUrl[server] = new Lazy<Task<Api>>(() => MakeWithToolAsync(server, serverArguments));

    public static Task<Api> OfAsync(Uri server) =>
        ByUrl.TryGetValue(server, out var made) ? made.Value
            : throw new InvalidOperationException($"No operator known for {server}: start it with ServerProcess.StartAsync");

    static async Task<Api> MakeWithToolAsync(Uri server, string[] serverArguments)
    {
        var email = $"operator-{Guid.NewGuid():n}@example.org";
        var (code, output) = await ServerProcess.RunToolAsync(
            ["users", "add", .. serverArguments, "--email", email, "--password", Api.Password, "--role", "operator"]);
        Assert.True(code == 0, output);
        var browser = new BrowserSession(server);
        var login = await browser.Client.PostAsJsonAsync("/api/auth/login", new { email, password = Api.Password });
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        return await Api.WithTokenOfAsync(browser, token => Api.WithToken(server, token), login, email);
    }

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
