using Fairlabel.Infrastructure;
using Microsoft.Extensions.Options;

namespace Fairlabel.Work;

public sealed class WorkOptions
{
    /// How often expired leases are returned to the pool.
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// Connections each node writes answers, skips and expiries through on PostgreSQL. One: while
    /// its group waits for the disk, the next group gathers, and every extra connection is another
    /// process to wake per round trip.
    public int PostgresWriters { get; set; } = 1;

    /// Live tasks a tasker may hold at once in one project: a courtesy to the other taskers, so
    /// that nobody hoards a project's last items (decision 0007 on how it is counted).
    public int MaxLiveLeasesPerTasker { get; set; } = 2;

    /// Connections of their own that each node writes leases through on PostgreSQL. 0 (the
    /// default): leases go in the answers' groups, one round trip and one commit for both, and are
    /// flushed with them. Since decision 0007 no request waits for a lease's write, and the shared
    /// groups cost PostgreSQL a tenth less CPU.
    public int PostgresLeaseWriters { get; set; }

    /// With lease writers of their own: whether their commits wait for the disk. Off by default:
    /// a lease is a reservation that a database crash may lose without harm (decision 0003); on,
    /// for an operator who wants leases to survive that too, at the cost of a flush per group.
    public bool FlushLeases { get; set; }

    /// The most writes one PostgreSQL transaction takes (see GroupCommitWriter).
    public int PostgresGroup { get; set; } = 128;
}

/// Returns abandoned tasks to the pool when their lease runs out.
/// Runs on the node that leads the background duties; the sweep is also safe on several nodes at once.
public sealed class LeaseExpiry(WorkLoop work, DutyLeader leader, WorkMetrics metrics, IOptions<WorkOptions> options,
    ILogger<LeaseExpiry> log)
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
                metrics.Expired(expired);
                if (expired > 0) log.ExpiredLeasesReturned(expired);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                log.LeaseSweepFailed(e);
            }
        }
    }
}
