using System.Text.Json;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Operations;

/// The `fairlabel` verbs a script runs, as real processes on the server's SQLite file.
public sealed class CommandLineTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task Import_and_export_from_the_command_line()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        var file = Path.Combine(server.DataDirectory, "cli-items.jsonl");
        await File.WriteAllTextAsync(file, P.Lines(1500, gold: true));

        var (code, output) = await ServerProcess.RunToolAsync("import", "--data", server.DataDirectory, "--project", id.ToString(), file);
        Assert.True(code == 0, output);
        Assert.Contains("succeeded: 1,500 inserted, 0 duplicates", output);
        (code, output) = await ServerProcess.RunToolAsync("import", "--data", server.DataDirectory, "--project", id.ToString(), file);
        Assert.Contains("succeeded: 0 inserted, 1,500 duplicates", output);

        var exported = Path.Combine(server.DataDirectory, "cli-export.jsonl");
        (code, output) = await ServerProcess.RunToolAsync("export", "--data", server.DataDirectory, "--project", id.ToString(),
            "--format", "jsonl", "--output", exported);
        Assert.True(code == 0, output);
        var rows = (await File.ReadAllLinesAsync(exported)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(1500, rows.Count);
        Assert.Equal("item-1", rows[0].GetProperty("external_id").GetString());
        Assert.Equal(1500, (await requester.GetJsonAsync($"/api/projects/{id}/items?limit=1")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_bad_file_fails_with_its_line_and_nothing_is_stored()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        var file = Path.Combine(server.DataDirectory, "cli-bad.jsonl");
        await File.WriteAllTextAsync(file, P.Lines(3) + "\n{\"id\": \"x\", \"data\": {\"text\": \"t\"}}\n");
        var (code, output) = await ServerProcess.RunToolAsync("import", "--data", server.DataDirectory, "--project", id.ToString(), file);
        Assert.Equal(1, code);
        Assert.Contains("line 4: provenance.source", output);
        Assert.Equal(0, (await requester.GetJsonAsync($"/api/projects/{id}/items?limit=1")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Users_are_added_and_listed_and_usage_errors_exit_2()
    {
        _ = server.Services;
        var email = $"op-{Guid.NewGuid():n}@example.org";
        var (code, output) = await ServerProcess.RunToolAsync("users", "add", "--data", server.DataDirectory,
            "--email", email, "--password", "a long password", "--role", "operator");
        Assert.True(code == 0, output);
        (code, output) = await ServerProcess.RunToolAsync("users", "list", "--data", server.DataDirectory);
        Assert.Contains(email + "\toperator", output);
        (code, output) = await ServerProcess.RunToolAsync("users", "add", "--data", server.DataDirectory,
            "--email", email, "--password", "a long password", "--role", "wizard");
        Assert.Equal(2, code);
        Assert.Contains("--role must be operator, requester or tasker", output);
        (code, _) = await ServerProcess.RunToolAsync("frobnicate");
        Assert.Equal(2, code);
    }

    [Theory]
    [InlineData("serve", "--urls")]
    [InlineData("demo", "--urls")]
    [InlineData("migrate", "--data")]
    [InlineData("import", "--project")]
    [InlineData("export", "--format")]
    [InlineData("users", "add")]
    [InlineData("users list", "--data")]
    [InlineData("users add", "--organisation-id")]
    [InlineData("audit verify", "--public-key")]
    [InlineData("audit prove", "ITEM")]
    [InlineData("aggregate", "--method")]
    [InlineData("rank", "--method")]
    [InlineData("agreement", "--metric")]
    public async Task Every_verb_prints_its_help_and_exits_0(string verb, string option)
    {
        var (code, output) = await ServerProcess.RunToolAsync([.. verb.Split(' '), "--help"]);
        Assert.True(code == 0, output);
        Assert.Contains(option, output);
        Assert.Contains($"fairlabel {verb}", output);
    }

    [Fact]
    public async Task Migrate_help_only_prints_help()
    {
        var data = Directory.CreateTempSubdirectory("fairlabel-help-").FullName;
        var (code, output) = await ServerProcess.RunToolAsync("migrate", "--help", "--data", data);
        Assert.True(code == 0, output);
        Assert.Contains("Apply the database migrations", output);
        Assert.Empty(Directory.GetFileSystemEntries(data));
    }

    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("help")]
    public async Task Bare_fairlabel_prints_help_with_the_exit_codes_and_does_not_serve(params string[] arguments)
    {
        var (code, output) = await ServerProcess.RunToolAsync(arguments);
        Assert.True(code == 0, output);
        foreach (var verb in (string[])["serve", "demo", "migrate", "import", "export", "users", "aggregate", "rank", "agreement"])
            Assert.Contains($"\n  {verb} ", output);
        Assert.Contains("Exit codes:", output);
        Assert.DoesNotContain("Now listening", output);
    }

    [Theory]
    [InlineData("export --projct 5", "fairlabel export: unknown option '--projct'; did you mean '--project'?")]
    [InlineData("users add --emial a@example.org", "fairlabel users add: unknown option '--emial'; did you mean '--email'?")]
    [InlineData("expotr --project 5", "fairlabel: unknown command 'expotr'; did you mean 'export'?")]
    [InlineData("--urls http://127.0.0.1:5000", "fairlabel: unknown option '--urls' (see fairlabel --help)")]
    public async Task An_unknown_option_or_command_exits_2_with_a_suggestion_on_one_line(string arguments, string line)
    {
        var (code, output) = await ServerProcess.RunToolAsync(arguments.Split(' '));
        Assert.Equal(2, code);
        Assert.Equal(line, output.Trim());
    }

    [Fact]
    public async Task A_missing_or_bad_value_is_one_line_and_exit_2()
    {
        var (code, output) = await ServerProcess.RunToolAsync("export", "--data", server.DataDirectory);
        Assert.Equal(2, code);
        Assert.Equal("fairlabel export: Option '--project' is required.", output.Trim());
        (code, output) = await ServerProcess.RunToolAsync("export", "--data", server.DataDirectory, "--project", "1", "--format", "xml");
        Assert.Equal(2, code);
        Assert.Equal("fairlabel export: Argument 'xml' not recognized. Must be one of: 'jsonl' 'csv'", output.Trim());
    }
}
