using Fairlabel.Infrastructure;
using Microsoft.Extensions.Options;

namespace Fairlabel.Work;

public sealed class WorkOptions
{
    /// How often expired leases are returned to the pool.
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// Connections each node writes answers, skips and expiries through on PostgreSQL. One: while
    /// its group waits for the disk, the next group gathers, and every extra connection is another
    /// process to wake per round trip (docs/benchmarks.md, fifth session).
    public int PostgresWriters { get; set; } = 1;

    /// On PostgreSQL, how long a node gathers the leases it hands out into one statement when they
    /// come faster than one a window (LeaseWrites). Nobody waits for a lease's write but a
    /// submission of it, which comes a thinking time later.
    public TimeSpan LeaseBatchWindow { get; set; } = TimeSpan.FromMilliseconds(50);

    /// The most writes one PostgreSQL transaction takes (see GroupCommitWriter).
    public int PostgresGroup { get; set; } = 128;
}

/// Returns abandoned tasks to the pool when their lease runs out.
/// Runs on the node that leads the background duties; the sweep is also safe on several nodes at once.
public sealed class LeaseExpiry(WorkLoop work, DutyLeader leader, IOptions<WorkOptions> options, ILogger<LeaseExpiry> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.ExpirySweepInterval);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try
            {
                if (!await leader.TryLeadAsync()) continue;
                var expired = await work.ExpireLeasesAsync();
                if (expired > 0) log.LogInformation("Returned {Count} expired leases to the pool", expired);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                log.LogWarning(e, "Lease expiry sweep failed; trying again at the next tick");
            }
        }
    }
}
