using Fairlabel.Tests.Infrastructure;
using Fairlabel.Work;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Work;

/// The writes of leases a node has handed out (LeaseWrites). On PostgreSQL many leases go in one
/// statement, which must decide each of them as if it were written alone: the leases of one item
/// take only its free slots, and a tasker never gets an item twice.
public abstract class LeaseWritesTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    protected TServer Server => server;
    /// A writer that stops writing fails the test rather than hanging it.
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// A lease writer of the test's own, gathering leases for <paramref name="window"/>.
    protected LeaseWrites Writer(TimeSpan window) => new(server.Database, server.Service<GroupCommitWriter>(),
        Options.Create(new WorkOptions { LeaseBatchWindow = window }), NullLogger<LeaseWrites>.Instance);

    protected async Task<(ProjectRules Rules, long Item, int[] Taskers)> OneItemAsync(int overlap, int taskers)
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var signedUp = new List<int>();
        for (var i = 0; i < taskers; i++) signedUp.Add((await Api.SignUpAsync(server, "tasker")).UserId);
        var id = await P.PublishedAsync(requester, 1, P.Input(overlap: overlap));
        var rules = (await server.Service<ProjectRulesCache>().GetAsync(id))!;
        return (rules, await server.ScalarAsync($"SELECT id FROM items WHERE project_id = {id}"), signedUp.ToArray());
    }

    protected async Task<LeasedTask> HandedOutAsync(ProjectRules rules, long item)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return new LeasedTask(await server.Service<NodeReservations>().NextIdAsync(), rules.Id, item, default, now,
            now.AddSeconds(rules.LeaseSeconds), rules.PayPerTask, rules.Currency);
    }

    // Four leases of an item with two free slots, handed out within one window: two are written.
    [Fact]
    public async Task Leases_of_one_item_written_together_take_only_its_free_slots()
    {
        var (rules, item, taskers) = await OneItemAsync(overlap: 3, taskers: 4);
        await server.ExecuteAsync($"UPDATE items SET accepted = 1 WHERE id = {item}");
        await using var writer = Writer(TimeSpan.FromSeconds(1));

        var kinds = await Task.WhenAll(await Task.WhenAll(taskers.Select(async t =>
            writer.WriteAsync(rules, await HandedOutAsync(rules, item), t)))).WaitAsync(Patience);

        Assert.Equal(2, kinds.Count(k => k == LeaseKind.Leased));
        Assert.Equal(2, kinds.Count(k => k == LeaseKind.SlotGone));
        Assert.Equal(2, await server.ScalarAsync($"SELECT leased FROM items WHERE id = {item}"));
        Assert.Equal(2, await server.ScalarAsync($"SELECT count(*) FROM assignments WHERE item_id = {item}"));
    }

    // A tasker who already had the item is refused it; the rest of the batch is written.
    [Fact]
    public async Task A_tasker_who_already_had_the_item_is_refused_and_the_others_are_written()
    {
        var (rules, item, taskers) = await OneItemAsync(overlap: 4, taskers: 3);
        await using var writer = Writer(TimeSpan.FromSeconds(1));
        var first = await HandedOutAsync(rules, item);
        Assert.Equal(LeaseKind.Leased, await writer.WriteAsync(rules, first, taskers[0]).WaitAsync(Patience));

        var again = await HandedOutAsync(rules, item);
        var others = await Task.WhenAll(taskers.Skip(1).Select(async t => writer.WriteAsync(rules, await HandedOutAsync(rules, item), t)));
        var kinds = await Task.WhenAll([writer.WriteAsync(rules, again, taskers[0]), .. others]).WaitAsync(Patience);

        Assert.Equal([LeaseKind.AlreadyHad, LeaseKind.Leased, LeaseKind.Leased], kinds);
        Assert.Equal(3, await server.ScalarAsync($"SELECT leased FROM items WHERE id = {item}"));
        Assert.Equal(0, await server.ScalarAsync($"SELECT count(*) FROM assignments WHERE id = {again.AssignmentId}"));
    }
}

public sealed class LeaseWritesOnSqlite(SqliteServer server) : LeaseWritesTests<SqliteServer>(server);

public sealed class LeaseWritesOnPostgres(PostgresServer server) : LeaseWritesTests<PostgresServer>(server)
{
    // A lease that comes alone is written at once; those that come within the window after it
    // wait for the window's end and go in one statement, one transaction.
    [Fact]
    public async Task Leases_handed_out_within_a_window_are_written_in_one_transaction()
    {
        var (rules, item, taskers) = await OneItemAsync(overlap: 4, taskers: 4);
        await using var writer = Writer(TimeSpan.FromSeconds(2));
        var alone = await HandedOutAsync(rules, item);
        Assert.Equal(LeaseKind.Leased, await writer.WriteAsync(rules, alone, taskers[0]).WaitAsync(TimeSpan.FromSeconds(1.5)));

        var together = await Task.WhenAll(taskers.Skip(1).Select(_ => HandedOutAsync(rules, item)));
        var kinds = await Task.WhenAll(together.Select((lease, i) => writer.WriteAsync(rules, lease, taskers[i + 1]))).WaitAsync(Patience);

        Assert.All(kinds, kind => Assert.Equal(LeaseKind.Leased, kind));
        var ids = string.Join(",", together.Select(l => l.AssignmentId));
        Assert.Equal(1, await Server.ScalarAsync($"SELECT count(DISTINCT xmin::text) FROM assignments WHERE id IN ({ids})"));
        Assert.NotEqual(await Server.TextAsync($"SELECT xmin::text FROM assignments WHERE id = {alone.AssignmentId}"),
            await Server.TextAsync($"SELECT xmin::text FROM assignments WHERE id = {together[0].AssignmentId}"));
        Assert.Equal(4, await Server.ScalarAsync($"SELECT leased FROM items WHERE id = {item}"));
    }
}
