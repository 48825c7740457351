using Fairlabel.Cli;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Operations;

/// `fairlabel users add` as an operator runs it, on the server's database: a requester joins an
/// organisation only by its id and after a confirmation, since a name is anyone's to sign up with.
public abstract class UsersAddTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    const string Password = "a long password";

    /// The arguments that point a `fairlabel` process at the server's database.
    string[] Database => server.Engine == Engine.Postgres
        ? ["--Database:Provider", "postgres", "--ConnectionStrings:Fairlabel", server.ConnectionString]
        : ["--data", server.DataDirectory];

    Task<(int ExitCode, string Output)> AddAsync(string email, params string[] more)
    {
        _ = server.Services; // started, so migrated
        return ServerProcess.RunToolAsync(["users", "add", .. Database, "--email", email, "--password", Password, .. more]);
    }

    static string NewEmail(string who) => $"{who}-{Guid.NewGuid():n}@futurecorp.test";

    async Task<bool> ExistsAsync(string email) =>
        await server.ScalarAsync($"SELECT count(*) FROM users WHERE email = '{email}'") == 1;

    async Task<int> OrganisationOfAsync(Api user) =>
        (await user.GetJsonAsync("/api/auth/me")).GetProperty("organisation").GetProperty("id").GetInt32();

    static async Task<int[]> ProjectIdsAsync(Api requester) =>
        [.. (await requester.GetJsonAsync("/api/projects")).EnumerateArray().Select(p => p.GetProperty("id").GetInt32())];

    [Fact]
    public async Task A_name_never_puts_a_new_requester_into_the_organisation_that_took_it_first()
    {
        // Issue 22's reproduction: someone signs up first under the company's name.
        var squatter = await Api.SignUpAsync(server, "requester", "FutureCorp");
        var squattersProject = await P.CreateAsync(squatter);
        var ceo = NewEmail("ceo");

        var (code, output) = await AddAsync(ceo, "--role", "requester", "--organisation", "FutureCorp");
        Assert.Equal(2, code);
        Assert.Equal("fairlabel users add: --organisation is not accepted, as a name does not identify an organisation: " +
                     "use --organisation-id ID to join one, or --new-organisation NAME to create one", output.Trim());
        Assert.False(await ExistsAsync(ceo));

        (code, output) = await AddAsync(ceo, "--role", "requester", "--new-organisation", "FutureCorp");
        Assert.True(code == 0, output);
        var ceoApi = await Api.LogInAsync(server, ceo, Password);
        Assert.NotEqual(await OrganisationOfAsync(squatter), await OrganisationOfAsync(ceoApi));
        var ceosProject = await P.CreateAsync(ceoApi);
        Assert.DoesNotContain(ceosProject, await ProjectIdsAsync(squatter));
        Assert.DoesNotContain(squattersProject, await ProjectIdsAsync(ceoApi));
        Assert.Equal("owner", await server.TextAsync($"SELECT organisation_role FROM users WHERE email = '{ceo}'"));
    }

    [Fact]
    public async Task Joining_by_id_with_yes_shows_the_organisation_then_joins_it()
    {
        var owner = await Api.SignUpAsync(server, "requester", "Acme");
        var organisation = await OrganisationOfAsync(owner);
        var project = await P.CreateAsync(owner);
        var colleague = NewEmail("colleague");

        var (code, output) = await AddAsync(colleague, "--role", "requester", "--organisation-id", organisation.ToString(), "--yes");
        Assert.True(code == 0, output);
        Assert.Contains($"Organisation {organisation} \"Acme\": owner {owner.Email} (user {owner.UserId}), 1 member.", output);
        var joined = await Api.LogInAsync(server, colleague, Password);
        Assert.Equal(organisation, await OrganisationOfAsync(joined));
        Assert.Contains(project, await ProjectIdsAsync(joined));
        Assert.Equal("requester", await server.TextAsync($"SELECT organisation_role FROM users WHERE email = '{colleague}'"));
    }

    [Fact]
    public async Task Joining_by_id_from_a_script_without_yes_is_refused_and_nothing_changes()
    {
        var owner = await Api.SignUpAsync(server, "requester", "Acme");
        var organisation = await OrganisationOfAsync(owner);
        var colleague = NewEmail("colleague");

        var (code, output) = await AddAsync(colleague, "--role", "requester", "--organisation-id", organisation.ToString());
        Assert.Equal(2, code);
        Assert.Contains($"fairlabel users add: joining organisation {organisation} needs a confirmation: run in a terminal, or add --yes", output);
        Assert.False(await ExistsAsync(colleague));
    }

    [Theory]
    [InlineData("y", true)]
    [InlineData("yes", true)]
    [InlineData("n", false)]
    [InlineData("", false)]
    public async Task At_a_terminal_joining_asks_first_and_only_yes_joins(string answer, bool joins)
    {
        var owner = await Api.SignUpAsync(server, "requester", "Acme");
        var organisation = await OrganisationOfAsync(owner);
        var colleague = NewEmail("colleague");
        var said = new StringWriter();
        var terminal = new Terminal(new StringReader(answer + "\n"), said, said, IsInteractive: true);

        var code = await UserCommands.AddAsync(server.Services,
            new UserCommands.NewAccount(colleague, Password, "requester", null, organisation, null, Confirmed: false), terminal);

        Assert.Contains($"Organisation {organisation} \"Acme\": owner {owner.Email} (user {owner.UserId}), 1 member.\n" +
                        $"Add {colleague} to it as a requester? [y/N] ", said.ToString());
        Assert.Equal(joins ? 0 : 1, code);
        Assert.Equal(joins, await ExistsAsync(colleague));
    }

    [Theory]
    [InlineData("requester --organisation-id 999999 --yes", "organisation 999999 does not exist")]
    [InlineData("requester", "a requester needs --organisation-id ID (join one) or --new-organisation NAME (create one)")]
    [InlineData("requester --organisation-id 1 --new-organisation X", "use either --organisation-id or --new-organisation, not both")]
    [InlineData("operator --new-organisation X", "only a requester belongs to an organisation")]
    [InlineData("tasker --organisation-id 1 --yes", "only a requester belongs to an organisation")]
    public async Task A_wrong_organisation_choice_is_one_line_and_nothing_is_created(string arguments, string message)
    {
        var email = NewEmail("someone");
        var (code, output) = await AddAsync(email, ["--role", .. arguments.Split(' ')]);
        Assert.Equal(2, code);
        Assert.Equal($"fairlabel users add: {message}", output.Trim());
        Assert.False(await ExistsAsync(email));
    }

    // The password policy of sign-up (PasswordPolicyTests), applied to accounts made from the shell.
    [Theory]
    [InlineData("eleven char", "must be at least 12 characters long")]
    [InlineData("{email}", "must not be your email address")]
    [InlineData("password1234", "is too easy to guess: it is, or is built on, a common or breached password")]
    [InlineData("abcabcabcabc", "must not be a few characters repeated")]
    public async Task A_weak_password_is_one_line_and_exit_2_and_nothing_is_created(string password, string message)
    {
        var email = NewEmail("weak");
        _ = server.Services;
        var (code, output) = await ServerProcess.RunToolAsync(["users", "add", .. Database, "--email", email,
            "--password", password.Replace("{email}", email), "--role", "operator"]);
        Assert.Equal(2, code);
        Assert.Equal($"fairlabel users add: --password {message}", output.Trim());
        Assert.False(await ExistsAsync(email));
    }

    [Fact]
    public async Task Exporting_a_project_that_does_not_exist_is_one_line_and_exit_2()
    {
        _ = server.Services;
        var (code, output) = await ServerProcess.RunToolAsync(["export", .. Database, "--project", "999999"]);
        Assert.Equal(2, code);
        Assert.Equal("fairlabel export: project 999999 does not exist", output.Trim());
    }
}

public sealed class UsersAddOnSqlite(SqliteServer server) : UsersAddTests<SqliteServer>(server);
public sealed class UsersAddOnPostgres(PostgresServer server) : UsersAddTests<PostgresServer>(server);
