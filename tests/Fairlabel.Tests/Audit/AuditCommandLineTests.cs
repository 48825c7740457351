using System.Text.Json;
using Fairlabel.Audit;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Audit;

/// `fairlabel audit verify` and `audit prove` as real processes on the server's SQLite file.
public sealed class AuditCommandLineTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task Verify_and_prove_from_the_command_line()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        var project = await P.PublishedAsync(requester, 1);
        var task = await tasker.PostJsonAsync($"/api/work/projects/{project}/tasks/next");
        await tasker.PostJsonAsync($"/api/work/tasks/{task.GetProperty("assignmentId").GetInt64()}/submit", P.Answer());
        await server.Database.UntilAsync("SELECT count(*) FROM audit_log WHERE entry LIKE '%\"answer.submitted\"%'", 1);
        var checkpoint = await server.Service<AuditIntegrator>().CatchUpAsync();
        Assert.NotNull(checkpoint);

        var (code, output) = await ServerProcess.RunToolAsync("audit", "verify", "--data", server.DataDirectory);
        Assert.True(code == 0, output);
        Assert.Contains($"{checkpoint.Size} entries, {checkpoint.Size} integrated, ", output);
        Assert.Contains("no problem", output);

        var item = (await server.RowsAsync("SELECT item_id FROM answers"))[0][0];
        (code, output) = await ServerProcess.RunToolAsync("audit", "prove", item.ToString(), "--data", server.DataDirectory);
        Assert.True(code == 0, output);
        var proofs = JsonDocument.Parse(output).RootElement;
        Assert.Equal(checkpoint.Note, proofs.GetProperty("checkpoint").GetString());
        Assert.Equal(2, proofs.GetProperty("entries").GetArrayLength());

        (code, output) = await ServerProcess.RunToolAsync("audit", "prove", "999999", "--data", server.DataDirectory);
        Assert.Equal(2, code);
        Assert.Contains("item 999999 has no entry", output);
        (code, output) = await ServerProcess.RunToolAsync("audit", "verify", "--data", server.DataDirectory, "--public-key", "not-a-key");
        Assert.Equal(3, code);
        Assert.Contains("not usable", output);

        var seq = (await server.RowsAsync("SELECT max(seq) FROM audit_log"))[0][0];
        await server.ExecuteAsync($"UPDATE audit_log SET entry = replace(entry, '\"answer\":', '\"answer\":0') WHERE seq = {seq}");
        (code, output) = await ServerProcess.RunToolAsync("audit", "verify", "--data", server.DataDirectory);
        Assert.Equal(1, code);
        Assert.Contains($"entry seq {seq} (leaf {checkpoint.Size - 1}): its bytes are not those integrated: edited", output);
    }

    [Fact]
    public async Task Operators_see_the_verification_on_their_console()
    {
        _ = server.Services;
        var email = $"audit-operator-{Guid.NewGuid():N}@example.org";
        var (code, output) = await ServerProcess.RunToolAsync("users", "add", "--data", server.DataDirectory,
            "--email", email, "--password", "a long password", "--role", "operator");
        Assert.True(code == 0, output);
        var operatorApi = await Api.LogInAsync(server, email, "a long password");
        await server.Service<AuditIntegrator>().CatchUpAsync();
        var status = await operatorApi.GetJsonAsync("/api/admin/audit");
        Assert.Equal(0, status.GetProperty("problems").GetArrayLength());
        Assert.True(status.GetProperty("integrated").GetInt64() > 0);
        Assert.StartsWith(server.Service<AuditIntegrator>().Key.Name + "+", status.GetProperty("verifierKey").GetString());
        var tasker = await Api.SignUpAsync(server, "tasker");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await tasker.Http.GetAsync("/api/admin/audit")).StatusCode);
    }
}
