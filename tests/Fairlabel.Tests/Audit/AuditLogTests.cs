using System.Text.Json;
using Fairlabel.Audit;
using Fairlabel.Audit.Merkle;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Audit;

/// The audit log on a real database: what the state changes append, the integrated tree, signed
/// checkpoints and proofs, and a tamper corpus (each change behind the API's back detected, with
/// the entry it names).
public abstract class AuditLogTests(Engine engine)
{
    FairlabelServer NewServer() => engine == Engine.Sqlite ? new SqliteServer() : new PostgresServer();

    /// A requester and a project with two items, a tasker's lease and answer; integrated and
    /// checkpointed twice (after the sign-ups, and after the work).
    static async Task<(long[] Seqs, List<AuditStore.CheckpointRow> Checkpoints)> ActivityAsync(FairlabelServer server)
    {
        var integrator = server.Service<AuditIntegrator>();
        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        var first = await integrator.CatchUpAsync();
        var project = await P.PublishedAsync(requester, 2);
        var task = await tasker.PostJsonAsync($"/api/work/projects/{project}/tasks/next");
        await tasker.PostJsonAsync($"/api/work/tasks/{task.GetProperty("assignmentId").GetInt64()}/submit", P.Answer());
        await server.Database.UntilAsync("SELECT count(*) FROM audit_log WHERE entry LIKE '%\"answer.submitted\"%'", 1);
        var second = await integrator.CatchUpAsync();
        // On PostgreSQL an entry is integrated once every transaction that began before it has
        // ended; background duties (lease sweep, automatic approval) may briefly hold one open.
        for (var tries = 0; second is not null && tries < 100 &&
             second.Size < (await server.RowsAsync("SELECT count(*) FROM audit_log"))[0][0]; tries++)
        {
            await Task.Delay(50);
            second = await integrator.CatchUpAsync();
        }
        Assert.NotNull(first);
        Assert.NotNull(second);
        var seqs = (await server.RowsAsync($"SELECT seq FROM audit_log {AuditStore.InLogOrder(server.Engine == Engine.Sqlite)}")).Select(r => r[0]).ToArray();
        Assert.Equal(second.Size, seqs.Length);
        return (seqs, [first, second]);
    }

    async Task<List<string>> ProblemsAsync(FairlabelServer server) =>
        (await AuditVerifier.VerifyAsync(server.Database, server.Service<AuditIntegrator>().Key)).Problems;

    [Fact]
    public async Task State_changes_are_logged_checkpointed_and_proven()
    {
        await using var server = NewServer();
        var (seqs, checkpoints) = await ActivityAsync(server);
        var entries = await server.Database.RowsTextAsync($"SELECT entry FROM audit_log {AuditStore.InLogOrder(server.Engine == Engine.Sqlite)}");
        var types = entries.Select(e => JsonDocument.Parse(e).RootElement.GetProperty("type").GetString()).ToList();
        foreach (var type in new[] { "account.created", "project.created", "project.published", "task.leased", "answer.submitted" })
            Assert.Contains(type, types);
        Assert.Empty(await ProblemsAsync(server));

        // The checkpoint is a C2SP signed note of the key kept in the data directory, owner-only.
        var key = server.Service<AuditIntegrator>().Key;
        var body = key.Open(checkpoints[1].Note);
        Assert.Equal($"{key.Name}\n{seqs.Length}\n{Convert.ToBase64String(checkpoints[1].Root)}\n", body);
        Assert.Contains("\n\n\u2014 " + key.Name + " ", checkpoints[1].Note);
        var keyFile = Path.Combine(server.DataDirectory, "audit-checkpoint.key");
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Equal(key.Id, NoteKey.ParseVerifier(key.VerifierKey).Id);
        Assert.Null(await server.Service<AuditIntegrator>().CatchUpAsync());

        // The item's lease and answer are proven in the checkpoint, offline, from the proofs alone.
        var item = (await server.RowsAsync("SELECT item_id FROM answers"))[0][0];
        var proofs = await AuditProofs.ForItemAsync(server.Database, item);
        Assert.Equal(2, proofs.Entries.Count);
        foreach (var entry in proofs.Entries)
            Assert.True(MerkleProofs.VerifyInclusion((ulong)entry.LeafIndex, (ulong)proofs.TreeSize,
                MerkleHash.Leaf(System.Text.Encoding.UTF8.GetBytes(entry.Entry)), entry.Proof.Select(Convert.FromBase64String).ToList(), checkpoints[1].Root));
    }

    [Fact]
    public async Task An_edited_entry_is_named()
    {
        await using var server = NewServer();
        var (seqs, _) = await ActivityAsync(server);
        await server.ExecuteAsync($"UPDATE audit_log SET entry = replace(entry, '\"actor\":', '\"actor\":9') WHERE seq = {seqs[3]}");
        var problem = Assert.Single(await ProblemsAsync(server), p => p.Contains($"entry seq {seqs[3]} "));
        Assert.Contains("edited", problem);
        Assert.Contains(await ProblemsAsync(server), p => p.Contains("checkpoint") && p.Contains("not the root"));
    }

    [Fact]
    public async Task A_deleted_entry_is_named()
    {
        await using var server = NewServer();
        var (seqs, _) = await ActivityAsync(server);
        await server.ExecuteAsync($"DELETE FROM audit_log WHERE seq = {seqs[4]}");
        var problem = Assert.Single(await ProblemsAsync(server));
        Assert.Contains($"leaf 4: its entry, before seq {seqs[5]}, is missing", problem);
    }

    [Fact]
    public async Task An_inserted_entry_is_named()
    {
        await using var server = NewServer();
        var (seqs, _) = await ActivityAsync(server);
        long inserted;
        if (server.Engine == Engine.Sqlite)
        {
            // Room after the second entry, the later ones moved up.
            await server.ExecuteAsync($"UPDATE audit_log SET seq = seq + 1000 WHERE seq > {seqs[1]}");
            inserted = seqs[1] + 1;
            await server.ExecuteAsync($"INSERT INTO audit_log (seq, tx, entry) VALUES ({inserted}, 0, '{{\"type\":\"project.created\"}}')");
        }
        else
        {
            // Among the rows of the first transaction, before every later one.
            var first = (await server.RowsAsync("SELECT tx FROM audit_log ORDER BY tx, seq LIMIT 1"))[0][0];
            inserted = 1_000_000;
            await server.ExecuteAsync($"INSERT INTO audit_log (seq, tx, entry) VALUES ({inserted}, {first}, '{{\"type\":\"project.created\"}}')");
        }
        var problem = Assert.Single(await ProblemsAsync(server));
        Assert.Contains($"entry seq {inserted}: not in the tree", problem);
    }

    [Fact]
    public async Task Reordered_entries_are_named()
    {
        await using var server = NewServer();
        var (seqs, _) = await ActivityAsync(server);
        var a = seqs[2];
        var b = seqs[3];
        var textA = (await server.Database.RowsTextAsync($"SELECT entry FROM audit_log WHERE seq = {a}"))[0].Replace("'", "''");
        var textB = (await server.Database.RowsTextAsync($"SELECT entry FROM audit_log WHERE seq = {b}"))[0].Replace("'", "''");
        await server.ExecuteAsync($"UPDATE audit_log SET entry = '{textB}' WHERE seq = {a}");
        await server.ExecuteAsync($"UPDATE audit_log SET entry = '{textA}' WHERE seq = {b}");
        var problem = Assert.Single(await ProblemsAsync(server));
        Assert.Contains($"entries seq {a} and seq {b} (leaves 2 and 3) are out of order", problem);
    }

    [Fact]
    public async Task A_truncated_log_is_named()
    {
        await using var server = NewServer();
        var (seqs, checkpoints) = await ActivityAsync(server);
        await server.ExecuteAsync($"DELETE FROM audit_log WHERE seq >= {seqs[^3]}");
        var problems = await ProblemsAsync(server);
        Assert.Contains(problems, p => p.Contains($"checkpoint {checkpoints[1].Id} (size {seqs.Length})") && p.Contains($"up to seq {seqs[^4]}: truncated"));
        Assert.Contains(problems, p => p.Contains($"leaves {seqs.Length - 3}..{seqs.Length - 1}: integrated"));
    }

    [Fact]
    public async Task A_forged_checkpoint_is_named_and_blocks_signing()
    {
        await using var server = NewServer();
        var (_, checkpoints) = await ActivityAsync(server);
        var key = server.Service<AuditIntegrator>().Key;
        // Signed by another key of the same name, over a root of the attacker's choice.
        var forged = NoteKey.Create(key.Name).Sign(new Checkpoint(key.Name, checkpoints[1].Size, new byte[32]).Body);
        await server.ExecuteAsync($"UPDATE audit_checkpoints SET note = '{forged}' WHERE id = {checkpoints[1].Id}");
        var problem = Assert.Single(await ProblemsAsync(server));
        Assert.Contains($"checkpoint {checkpoints[1].Id} (size {checkpoints[1].Size}): its signature does not verify", problem);
        // The integrator signs nothing after a checkpoint it cannot verify.
        await Api.SignUpAsync(server, "tasker");
        await Assert.ThrowsAsync<AuditInconsistencyException>(() => server.Service<AuditIntegrator>().CatchUpAsync());
    }
}

public sealed class AuditLogOnSqlite() : AuditLogTests(Engine.Sqlite);
public sealed class AuditLogOnPostgres() : AuditLogTests(Engine.Postgres);

static class AuditRows
{
    public static async Task<List<string>> RowsTextAsync(this Fairlabel.Data.DatabaseSettings database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
