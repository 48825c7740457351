using Fairlabel.Data;
using Fairlabel.Projects;
using Fairlabel.Work;

namespace Fairlabel.Wellbeing;

public abstract record ReportOutcome
{
    /// <param name="Duplicate">The task had been reported before: nothing new was recorded.</param>
    public sealed record Reported(long ItemId, bool Duplicate) : ReportOutcome;
    public sealed record NotFound : ReportOutcome;
}

public enum Decision { Release, Remove }

public abstract record DecisionOutcome
{
    public sealed record Decided(string Status, bool Changed) : DecisionOutcome;
    public sealed record NotQuarantined : DecisionOutcome;
    public sealed record Refused(string Reason) : DecisionOutcome;
}

/// What a decision may do to an item in quarantine, as a pure rule: release or remove an item
/// waiting for a decision; a removed item stays removed; the same decision twice changes nothing.
public static class QuarantineRules
{
    public static string? Next(string current, Decision decision, out string? refusal)
    {
        refusal = null;
        var wanted = decision == Decision.Release ? QuarantineStatus.Released : QuarantineStatus.Removed;
        if (current == wanted) return null;
        if (current == QuarantineStatus.Quarantined) return wanted;
        refusal = current == QuarantineStatus.Removed
            ? "The item was removed; a removed item is never handed out again."
            : "The item was released; it is quarantined again only by a new report.";
        return null;
    }
}

/// Reported items: taken out of every queue at once, held for a requester's or operator's
/// decision, and released or removed (decision 0025).
/// - The report, and the quarantine, are one transaction; a retried report records nothing twice.
/// - This node's task pools drop the item at once (<see cref="ProjectChanges.ItemWithdrawn"/>); other
///   nodes within a second (<see cref="QuarantineWatch"/>); every pool loaded afterwards, on any
///   node, leaves it out (<see cref="WithheldItems"/>).
/// - The reporter's lease ends as a skip, which never counts against anyone.
public sealed class Quarantine(DatabaseSettings database, AssignmentLookup lookup, WorkLoop work, ProjectChanges changes,
    TimeProvider clock)
{
    /// The items no queue hands out and no export includes, as a subquery of their ids: those
    /// waiting for a decision and those removed.
    public const string WithheldItems = "SELECT item_id FROM item_quarantines WHERE status <> 'released'";

    public async Task<ReportOutcome> ReportAsync(long assignmentId, int taskerId, string reason, string note)
    {
        var found = await lookup.FindAsync(assignmentId);
        if (found is null || found.TaskerId != taskerId) return new ReportOutcome.NotFound();
        // A lease handed out moments ago may not be in the database yet (decision 0007).
        await lookup.WrittenAsync([assignmentId]);
        var now = Sql.Millis(clock.GetUtcNow());
        bool recorded;
        await using (var connection = await database.OpenAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            recorded = await connection.ExecuteAsync(transaction,
                "INSERT INTO content_reports (project_id, item_id, tasker_id, assignment_id, reason, note, reported_at) " +
                "SELECT project_id, item_id, tasker_id, id, @reason, @note, @now FROM assignments WHERE id = @a AND tasker_id = @t " +
                "ON CONFLICT (assignment_id) DO NOTHING",
                ("reason", reason), ("note", note), ("now", now), ("a", assignmentId), ("t", taskerId)) == 1;
            if (recorded)
                await connection.ExecuteAsync(transaction,
                    "INSERT INTO item_quarantines (item_id, project_id, status, quarantined_at, changed_at, decision_note) " +
                    "VALUES (@i, @p, 'quarantined', @now, @now, '') " +
                    "ON CONFLICT (item_id) DO UPDATE SET status = 'quarantined', quarantined_at = @now, changed_at = @now, " +
                    "decided_by = NULL, decided_at = NULL, decision_note = '' WHERE item_quarantines.status = 'released'",
                    ("i", found.ItemId), ("p", found.ProjectId), ("now", now));
            await transaction.CommitAsync();
        }
        changes.ItemWithdrawn(found.ProjectId, found.ItemId);
        // Whatever its status, the task is the reporter's no longer; a skip never counts against them.
        await work.SkipAsync(assignmentId, taskerId);
        return new ReportOutcome.Reported(found.ItemId, Duplicate: !recorded);
    }

    /// The rule decides from the status read; the write happens only if the status is still that one,
    /// so two people deciding at once never both change it.
    public async Task<DecisionOutcome> DecideAsync(int projectId, long itemId, Decision decision, string note, int decidedBy)
    {
        await using var connection = await database.OpenAsync();
        for (var attempt = 0; ; attempt++)
        {
            var current = await connection.ScalarAsync<string>(null,
                "SELECT status FROM item_quarantines WHERE item_id = @i AND project_id = @p", ("i", itemId), ("p", projectId));
            if (current is null) return new DecisionOutcome.NotQuarantined();
            var next = QuarantineRules.Next(current, decision, out var refusal);
            if (refusal is not null) return new DecisionOutcome.Refused(refusal);
            if (next is null) return new DecisionOutcome.Decided(current, Changed: false);
            var now = Sql.Millis(clock.GetUtcNow());
            if (await connection.ExecuteAsync(null,
                    "UPDATE item_quarantines SET status = @s, decided_by = @by, decided_at = @now, changed_at = @now, decision_note = @note " +
                    "WHERE item_id = @i AND status = @was",
                    ("s", next), ("by", decidedBy), ("now", now), ("note", note), ("i", itemId), ("was", current)) == 0 && attempt < 3)
                continue;
            // A released item has open slots again: this node's pool is read afresh.
            if (next == QuarantineStatus.Released) changes.ItemsAdded(projectId);
            return new DecisionOutcome.Decided(next, Changed: true);
        }
    }
}
