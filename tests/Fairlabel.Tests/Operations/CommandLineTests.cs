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
}
