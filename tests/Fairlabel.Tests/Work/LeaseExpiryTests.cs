using Fairlabel.Tests.Infrastructure;
using static Fairlabel.Tests.Infrastructure.Tasks;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Work;

/// The sweep that returns expired leases to the pool (WorkLoop.ExpireLeasesAsync), where it must
/// not depend on when a lease was written. A class of its own, with its own server, since each
/// server allows 60 sign-ups a minute.
public abstract class LeaseExpiryTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    // The sweep reads only expiries after its mark, so a lease written with its expiry already
    // behind the mark (written more than its length after it was handed out, or by a node whose
    // clock is that far behind the leading node's) was never swept, and its slot stayed taken for
    // good. Here the mark is moved 12 s ahead, past where a 10 s lease handed out now expires.
    [Fact]
    public async Task A_lease_whose_expiry_is_behind_the_sweeps_mark_is_still_swept()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        var other = await Api.SignUpAsync(server, "tasker");
        var id = await P.PublishedAsync(requester, 1, P.Input(overlap: 1, leaseSeconds: 10));
        var mark = DateTimeOffset.UtcNow.AddSeconds(12);
        await server.ExecuteAsync("INSERT INTO duty_marks (duty, through) VALUES ('lease-expiry', " +
            $"{mark.ToUnixTimeMilliseconds()}) ON CONFLICT (duty) DO UPDATE SET through = excluded.through");

        var abandoned = await server.WrittenAsync((await NextAsync(tasker, id))!.Value);
        Assert.True(DateTimeOffset.Parse(abandoned.GetProperty("expiresAt").GetString()!) < mark);
        if (mark - DateTimeOffset.UtcNow is { Ticks: > 0 } untilTheMark) await Task.Delay(untilTheMark);
        await server.Database.UntilAsync($"SELECT count(*) FROM assignments WHERE status = 'expired' AND id = {AssignmentOf(abandoned)}", 1);
        Assert.Equal(0, await server.ScalarAsync($"SELECT leased FROM items WHERE project_id = {id}"));
        Assert.NotNull(await NextAsync(other, id));
    }
}

public sealed class LeaseExpiryOnSqlite(SqliteServer server) : LeaseExpiryTests<SqliteServer>(server);
public sealed class LeaseExpiryOnPostgres(PostgresServer server) : LeaseExpiryTests<PostgresServer>(server);
