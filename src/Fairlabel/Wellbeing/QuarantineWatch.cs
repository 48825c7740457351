using Fairlabel.Data;
using Fairlabel.Projects;
using Microsoft.Extensions.Options;

namespace Fairlabel.Wellbeing;

/// With several nodes (PostgreSQL): tells this node's task pools of quarantines and releases made
/// on other nodes, a few times a second, so that a reported item leaves every node's queue at once
/// and not only when a node next reads its block.
/// - It reads the quarantine rows changed in the last <see cref="Overlap"/> before the newest change
///   it saw, and acts on those it has not acted on yet: a change committed late, or stamped by a node
///   whose clock is a little behind, is still seen.
/// - Acting twice is harmless (a withdrawn item stays withdrawn; a release reloads a pool).
public sealed class QuarantineWatch(DatabaseSettings database, ProjectChanges changes, IOptions<WellbeingOptions> options,
    TimeProvider clock, ILogger<QuarantineWatch> log) : BackgroundService
{
    static readonly TimeSpan Overlap = TimeSpan.FromSeconds(30);
    readonly Dictionary<long, (string Status, long ChangedAt)> _seen = [];
    long _newest;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (database.IsSqlite) return; // one node: every change is made, and told, here
        _newest = Sql.Millis(clock.GetUtcNow());
        using var timer = new PeriodicTimer(options.Value.QuarantineWatchInterval);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try { await LookAsync(stopping); }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                log.LogWarning(e, "Quarantine changes could not be read; trying again");
            }
        }
    }

    public async Task LookAsync(CancellationToken cancel = default)
    {
        var rows = new List<(long Item, int Project, string Status, long ChangedAt)>();
        await using (var connection = await database.OpenAsync(cancel))
        await using (var command = connection.Command(
            "SELECT item_id, project_id, status, changed_at FROM item_quarantines WHERE changed_at > @since")
            .With("since", _newest - (long)Overlap.TotalMilliseconds))
        await using (var reader = await command.ExecuteReaderAsync(cancel))
            while (await reader.ReadAsync(cancel))
                rows.Add((reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt64(3)));
        foreach (var (item, project, status, changedAt) in rows)
        {
            if (_seen.TryGetValue(item, out var seen) && seen == (status, changedAt)) continue;
            _seen[item] = (status, changedAt);
            _newest = Math.Max(_newest, changedAt);
            if (status == QuarantineStatus.Released) changes.ItemsAdded(project);
            else changes.ItemWithdrawn(project, item);
        }
        // What fell out of the window will not be read again.
        foreach (var old in _seen.Where(s => s.Value.ChangedAt < _newest - 2 * (long)Overlap.TotalMilliseconds).Select(s => s.Key).ToList())
            _seen.Remove(old);
    }
}
