using System.Data.Common;
using System.Text.Json;
using Fairlabel.Data;
using Fairlabel.Infrastructure;
using Fairlabel.Projects;

namespace Fairlabel.Work;

/// <param name="Sensitivity">The item's sensitivity categories, which the task page blurs and mutes
/// until revealed: filled in by the API (Wellbeing/FlaggedItems.cs), not by the work loop.</param>
public sealed record LeasedTask(
    long AssignmentId, int ProjectId, long ItemId, JsonElement Data, DateTimeOffset LeasedAt, DateTimeOffset ExpiresAt,
    decimal PayRate, string Currency, string[]? Sensitivity = null);

public abstract record NextResult
{
    public sealed record Leased(LeasedTask Task) : NextResult;
    public sealed record NoneLeft : NextResult;
    public sealed record LimitReached(int Held) : NextResult;
    public sealed record NotOpen : NextResult;
    /// The project's audience does not include the tasker: the rule, in the tasker's words.
    public sealed record NotEligible(Audiences.Refusal Refusal) : NextResult;
    /// Every item tried was taken by someone else meanwhile, or (<paramref name="OtherNodesServing"/>)
    /// the project's open blocks are held by other nodes (decision 0007): open tasks may remain,
    /// try again shortly.
    public sealed record StillLooking(bool OtherNodesServing = false) : NextResult;
}

public enum SkipResult { Skipped, NotFound, AlreadySubmitted }

public abstract record SubmitResult
{
    /// <param name="Late">The lease had expired, and its slot was still free.</param>
    public sealed record Accepted(long AnswerId, long AssignmentId, bool Duplicate, bool Late = false) : SubmitResult;
    public sealed record NotFound : SubmitResult;
    public sealed record Invalid(FieldErrors Errors) : SubmitResult;
    public sealed record Refused(string Reason) : SubmitResult;
}

/// "Give me my next task" and "here is my answer": the hot path. A node hands out tasks from
/// blocks of items only it leases from, and writes the lease just after
/// (docs/decisions/0007-leases-from-node-reservations.md); the database's conditional writes still
/// decide (docs/decisions/0003-work-loop.md):
/// - `UPDATE items SET leased = leased + 1 WHERE accepted + leased < overlap` never lets more
///   than k taskers hold or complete an item;
/// - the unique (item_id, tasker_id) index never gives one tasker the same item twice;
/// - the unique answers.assignment_id makes a resubmission return the first answer.
public sealed class WorkLoop(
    DatabaseSettings database, GroupCommitWriter writer, AssignmentLookup lookup, TaskPools pools, ProjectRulesCache projects,
    NodeReservations reservations, TaskerLeases taskerLeases, TimeProvider clock, ILogger<WorkLoop> log, WorkMetrics metrics,
    HandOutRules handOutRules, Microsoft.Extensions.Options.IOptions<WorkOptions> options)
{
    readonly int _maxLiveLeases = Math.Max(1, options.Value.MaxLiveLeasesPerTasker);
    const int MaxAttempts = 32;

    public async Task<NextResult> NextAsync(int projectId, int taskerId)
    {
        var rules = await projects.GetAsync(projectId);
        if (rules is null || rules.Status != ProjectStatus.Published) return new NextResult.NotOpen();
        if (await handOutRules.RefusesAsync(rules, taskerId) is { } refusal) return new NextResult.NotEligible(refusal);
        return await HandOutAsync(rules, taskerId);
    }

    /// Hands out a slot from the blocks of items this node holds, and writes the lease after the
    /// answer, in a write group no request waits for (decision 0007). The node's pool is
    /// exact for its blocks (no other node leases from them), so in the normal course the write
    /// cannot be refused; if it is, or fails, the lease is lost and the tasker's answer to it is
    /// refused with the reason. Only a node crash in the moments between answer and write loses a
    /// lease without a reason (decision 0007, "What it costs").
    async Task<NextResult> HandOutAsync(ProjectRules rules, int taskerId)
    {
        var pool = await pools.GetAsync(rules.Id, rules.Overlap);
        var draw = await handOutRules.DrawAsync(rules, taskerId);
        var id = await reservations.NextIdAsync();
        var leasedAt = DateTimeOffset.FromUnixTimeMilliseconds(Sql.Millis(clock.GetUtcNow()));
        var expires = leasedAt.AddSeconds(rules.LeaseSeconds);
        if (await taskerLeases.TryAddAsync(rules.Id, taskerId, id, Sql.Millis(expires), _maxLiveLeases) is { } held)
        {
            reservations.Return(id);
            return new NextResult.LimitReached(held);
        }
        try
        {
            var lookedAgain = false;
            for (var attempt = 0; ; attempt++)
            {
                // Only from the pools the rules let the tasker draw from (HandOutRules).
                if (draw.Reserve(pool, taskerId, leasedAt.UtcTicks) is { } reserved)
                {
                    pools.HoldAhead(rules.Id, rules.Overlap, pool, log);
                    var task = new LeasedTask(id, rules.Id, reserved.ItemId, default, leasedAt, expires, rules.PayPerTask, rules.Currency);
                    lookup.Remember(task, taskerId, WriteHandedOutAsync(rules, task, taskerId, pool));
                    metrics.HandedOut();
                    return new NextResult.Leased(task with { Data = JsonDocument.Parse(reserved.Data).RootElement });
                }
                NextResult? none = null;
                if (attempt == MaxAttempts) none = new NextResult.StillLooking();
                else
                    switch (await pools.HoldMoreAsync(rules.Id, rules.Overlap, pool, taskerId, draw.PoolsOf(pool)))
                    {
                        case HoldOutcome.OthersHold:
                            none = new NextResult.StillLooking(OtherNodesServing: true);
                            break;
                        // The block this request waited for may have been taken by another request meanwhile: look once more.
                        case HoldOutcome.NoneFree when !lookedAgain:
                            lookedAgain = true;
                            break;
                        case HoldOutcome.NoneFree:
                            if (await pools.ReloadIfStaleAsync(rules.Id, rules.Overlap, pool) is { } reloaded) pool = reloaded;
                            else none = new NextResult.NoneLeft();
                            break;
                    }
                if (none is null) continue;
                GiveBack();
                return none;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Taking a block failed (the database is unreachable): no task, and the id and the
            // count toward the limit are given back, or the tasker would be held at the limit.
            GiveBack();
            throw;
        }

        void GiveBack()
        {
            taskerLeases.Remove(rules.Id, taskerId, id);
            reservations.Return(id);
        }
    }

    /// Writes a lease already handed out; true once it is in. Never throws: a lease that could not
    /// be written is forgotten, and its slot given back. A write that failed with the database
    /// connection is tried again a few times (the first write after the database restarts meets a
    /// connection that died with it).
    async Task<bool> WriteHandedOutAsync(ProjectRules rules, LeasedTask task, int taskerId, TaskPool pool)
    {
        // The request that handed the task out does not wait for this write (decision 0007): a
        // write that happens to end before its reply must not show as that reply's `db` time.
        ServerTiming.NotForThisRequest();
        var kind = LeaseKind.NotTried;
        try
        {
            for (var attempt = 0; ; attempt++)
                try
                {
                    kind = await writer.RunLease(task.ItemId, w => WriteLeaseAsync(w, rules, task, taskerId));
                    // A retry after a commit whose reply was lost finds its own row.
                    if (attempt > 0 && kind == LeaseKind.AlreadyHad && await StoredAsync(task, taskerId))
                        kind = LeaseKind.Leased;
                    break;
                }
                catch (DatabaseUnavailableException) when (attempt < RewritesOfAHandedOutLease.Length)
                {
                    await Task.Delay(RewritesOfAHandedOutLease[attempt]);
                }
        }
        catch (Exception e)
        {
            log.LeaseNotWritten(e, task.ItemId, taskerId);
        }
        finally
        {
            pool.Written(task.ItemId);
        }
        if (kind == LeaseKind.Leased) return true;
        if (kind == LeaseKind.SlotGone) pool.Refused(task.ItemId, slotGone: true);
        else if (kind == LeaseKind.AlreadyHad) pool.Refused(task.ItemId, slotGone: false);
        else pool.Undo(task.ItemId, taskerId);
        taskerLeases.Remove(rules.Id, taskerId, task.AssignmentId);
        if (kind != LeaseKind.NotTried)
            log.LeaseRefused(task.ItemId, taskerId, kind.ToString());
        return false;
    }

    async Task<bool> StoredAsync(LeasedTask task, int taskerId)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ScalarAsync<long?>(null, "SELECT id FROM assignments WHERE id = @a AND tasker_id = @t AND item_id = @i",
            ("a", task.AssignmentId), ("t", taskerId), ("i", task.ItemId)) is not null;
    }

    static readonly TimeSpan[] RewritesOfAHandedOutLease =
        [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)];

    /// NotTried: the write failed before it decided anything.
    enum LeaseKind { Leased, SlotGone, AlreadyHad, NotTried }

    /// A lease handed out, written under the id the tasker was given, or nothing changed. On
    /// SQLite statement by statement: each is a call into the library, not a round trip.
    static async Task<LeaseKind> WriteLeaseAsync(WriteContext w, ProjectRules rules, LeasedTask task, int taskerId)
    {
        (string, object?)[] lease =
        [
            ("i", task.ItemId), ("k", rules.Overlap), ("a", task.AssignmentId), ("p", rules.Id), ("t", taskerId),
            ("now", Sql.Millis(task.LeasedAt)), ("exp", Sql.Millis(task.ExpiresAt)), ("pay", rules.PayPerTask),
            ("cur", rules.Currency),
        ];
        if (!w.IsSqlite)
        {
            var (slot, written) = (await w.LastRowsAsync(WorkSql.LeaseOnPostgres, r => (r.GetBoolean(0), r.GetBoolean(1)), lease))[0];
            return written ? LeaseKind.Leased : slot ? LeaseKind.AlreadyHad : LeaseKind.SlotGone;
        }
        if (await w.ExecuteAsync(WorkSql.TakeSlotOnSqlite, lease) == 0)
            return LeaseKind.SlotGone;
        if (await w.ExecuteAsync(WorkSql.LeaseOnSqlite, lease) == 1)
            return LeaseKind.Leased;
        await w.ExecuteAsync(WorkSql.GiveSlotBackOnSqlite, lease);
        return LeaseKind.AlreadyHad;
    }

    /// The tasker's live leases in a project, oldest first, to resume after a reload.
    public async Task<List<LeasedTask>> LiveLeasesAsync(int projectId, int taskerId)
    {
        // Leases this node handed out moments ago are read once written.
        await lookup.WrittenAsync(taskerLeases.Known(projectId, taskerId));
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            "SELECT a.id, a.item_id, a.leased_at, a.expires_at, a.pay_rate, a.currency, i.data " +
            "FROM assignments a JOIN items i ON i.id = a.item_id " +
            "WHERE a.tasker_id = @t AND a.project_id = @p AND a.status = 'leased' AND a.expires_at > @now ORDER BY a.leased_at, a.id")
            .With("t", taskerId).With("p", projectId).With("now", Sql.Millis(clock.GetUtcNow()));
        await using var reader = await command.ExecuteReaderAsync();
        var tasks = new List<LeasedTask>();
        while (await reader.ReadAsync())
            tasks.Add(new LeasedTask(reader.GetInt64(0), projectId, reader.GetInt64(1),
                JsonDocument.Parse(reader.GetString(6)).RootElement,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetDecimal(4), reader.GetString(5)));
        return tasks;
    }

    public async Task<SubmitResult> SubmitAsync(long assignmentId, int taskerId, JsonElement answer,
        double? activeSeconds, string idempotencyKey)
    {
        var found = await lookup.FindAsync(assignmentId);
        if (found is null || found.TaskerId != taskerId) return new SubmitResult.NotFound();
        return await SubmitFoundAsync(found, answer, activeSeconds, idempotencyKey);
    }

    /// The submission, then the tasker's next task in the same project: one request per task instead
    /// of two, for a tasker on a slow link and for the machine (each request crosses between client,
    /// node and kernel several times; docs/decisions/0008-submit-and-take-next.md).
    /// - The answer is stored as by <see cref="SubmitAsync"/>, then the next task handed out as by
    ///   <see cref="NextAsync"/>.
    /// - A refused or invalid answer takes no task.
    /// - A retry whose first reply was lost gets the lease that first request took, the tasker's
    ///   newest live one, rather than a second.
    /// - Once the answer is stored the reply says so: a next task that cannot be handed out
    ///   (the database went away meanwhile) is "ask again", never a failure of the request.
    public async Task<(SubmitResult Submitted, NextResult? Next)> SubmitAndNextAsync(long assignmentId, int taskerId,
        JsonElement answer, double? activeSeconds, string idempotencyKey)
    {
        var found = await lookup.FindAsync(assignmentId);
        if (found is null || found.TaskerId != taskerId) return (new SubmitResult.NotFound(), null);
        var submitted = await SubmitFoundAsync(found, answer, activeSeconds, idempotencyKey);
        if (submitted is not SubmitResult.Accepted accepted) return (submitted, null);
        try
        {
            if (accepted.Duplicate && (await LiveLeasesAsync(found.ProjectId, taskerId)).LastOrDefault() is { } taken)
                return (submitted, new NextResult.Leased(taken));
            return (submitted, await NextAsync(found.ProjectId, taskerId));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "The answer to assignment {Assignment} was stored; its next task could not be handed out", assignmentId);
            return (submitted, new NextResult.StillLooking());
        }
    }

    async Task<SubmitResult> SubmitFoundAsync(FoundAssignment found, JsonElement answer, double? activeSeconds, string idempotencyKey)
    {
        var (checkedAnswer, rules, stored) = await CheckAsync(found, answer, activeSeconds, idempotencyKey);
        var submitted = checkedAnswer ?? await StoreAsync(rules!, stored!);
        metrics.Counted(submitted);
        return submitted;
    }

    /// What a submission's write needs, or the answer when none is: not found, already answered,
    /// skipped, or not fitting the template.
    async Task<(SubmitResult? Answered, ProjectRules? Rules, AnswerToStore? Stored)> CheckAsync(
        FoundAssignment found, JsonElement answer, double? activeSeconds, string idempotencyKey)
    {
        if (found.AnswerId is { } existing) return (new SubmitResult.Accepted(existing, found.Id, Duplicate: true), null, null);
        if (found.Status == AssignmentStatus.Skipped) return (new SubmitResult.Refused("This task was skipped."), null, null);
        if (found.Status == AssignmentStatus.Lost)
            return (new SubmitResult.Refused("The lease on this task was lost before it could be stored; please take a new task."),
                null, null);
        var rules = await projects.GetAsync(found.ProjectId);
        if (rules is null) return (new SubmitResult.NotFound(), null, null);
        var errors = new FieldErrors();
        AnswerValidator.Validate(rules.Template, answer, errors);
        if (errors.Any) return (new SubmitResult.Invalid(errors), null, null);
        return (null, rules, new AnswerToStore(found, answer.GetRawText(), idempotencyKey, activeSeconds, Sql.Millis(clock.GetUtcNow())));
    }

    async Task<SubmitResult> StoreAsync(ProjectRules rules, AnswerToStore stored)
    {
        // Two writes, not one, when the lease is not live: the first changed nothing, so the second
        // may run in another transaction. On PostgreSQL the first is then a single statement.
        var itemId = stored.Assignment.ItemId;
        if (await writer.Run(itemId, w => SubmitLiveLeaseAsync(w, stored)) is { } live) return Stored(stored, live);

        // A late answer may take a slot this node has just handed out again and not yet written
        // (decision 0007): when the item is in a block this node holds, its slot is taken here
        // first, and the block kept until the write is done.
        var pool = pools.TryGetLoaded(stored.Assignment.ProjectId, out var loaded) ? loaded : null;
        var slot = pool?.TakeForLateAnswer(itemId) ?? LateSlot.NotHeld;
        SubmitResult? outcome = null;
        try
        {
            outcome = await writer.Run(itemId, w => SubmitEndedLeaseAsync(w, rules, stored, lateMayCount: slot != LateSlot.NoneFree));
        }
        finally
        {
            if (slot == LateSlot.Taken)
            {
                pool!.Written(itemId);
                if (outcome is not SubmitResult.Accepted { Late: true }) pool.Released(itemId);
            }
        }
        return Stored(stored, outcome, slotTaken: slot == LateSlot.Taken);
    }

    /// After the answer's commit: what this node remembers of the lease and the item.
    SubmitResult Stored(AnswerToStore stored, SubmitResult outcome, bool slotTaken = false)
    {
        var found = stored.Assignment;
        lookup.Forget(found.Id);
        taskerLeases.Remove(found.ProjectId, found.TaskerId, found.Id);
        if (outcome is SubmitResult.Accepted { Late: true } && !slotTaken && pools.TryGetLoaded(found.ProjectId, out var pool))
            pool.Taken(found.ItemId);
        return outcome;
    }

    /// The common case: a live lease (even past its expiry but not yet swept) becomes submitted,
    /// with its answer. The status is checked inside the write, so a racing request loses. Returns
    /// null, having changed nothing, when the lease is not live. Every write of a lease names its
    /// tasker and item as well as its id, which this node may know only from memory: a lease lost in
    /// a database crash can see its id handed out again (sequences restart from what reached the disk).
    /// On PostgreSQL it is the write's last statement (GroupCommitWriter sends a group of such writes
    /// as one batch, without BEGIN).
    static async Task<SubmitResult?> SubmitLiveLeaseAsync(WriteContext w, AnswerToStore answer)
    {
        var a = answer.Assignment;
        if (!w.IsSqlite)
            return await w.LastScalarAsync<long?>(WorkSql.SubmitLeasedOnPostgres, answer.Columns) is { } stored
                ? new SubmitResult.Accepted(stored, a.Id, Duplicate: false)
                : null;
        if (await w.ExecuteAsync(WorkSql.EndLeaseOnSqlite,
                ("id", a.Id), ("t", a.TaskerId), ("i", a.ItemId), ("now", answer.Now)) == 0)
            return null;
        await w.ExecuteAsync(WorkSql.CountAnswerOnSqlite, ("i", a.ItemId));
        return new SubmitResult.Accepted(await InsertAnswerAsync(w, answer), a.Id, Duplicate: false);
    }

    /// A lease that is no longer live: already answered, skipped, or expired and swept.
    /// <paramref name="lateMayCount"/>: false when this node holds the item's block and knows its
    /// slots are all taken, some perhaps by leases not yet written.
    static async Task<SubmitResult> SubmitEndedLeaseAsync(WriteContext w, ProjectRules rules, AnswerToStore answer, bool lateMayCount)
    {
        var a = answer.Assignment;
        var status = await w.ScalarAsync<string>(WorkSql.EndedLeaseStatus.For(w.IsSqlite),
            ("id", a.Id), ("t", a.TaskerId), ("i", a.ItemId));
        // The lease this node granted is not in the database: a database crash lost it before it
        // reached the disk (lease writers of their own, GroupCommitWriter.RunLease), and its slot went back to the pool.
        if (status is null)
            return new SubmitResult.Refused("The lease on this task was lost when the database restarted; please take a new task.");
        if (status == AssignmentStatus.Submitted)
            return new SubmitResult.Accepted(
                await w.ScalarAsync<long>("SELECT id FROM answers WHERE assignment_id = @id", ("id", a.Id)), a.Id, Duplicate: true);
        if (status != AssignmentStatus.Expired) return new SubmitResult.Refused("This task was skipped.");
        // A late answer counts only if its slot is still free; otherwise someone else has it.
        var taken = !lateMayCount ? 0 : await w.ExecuteAsync("UPDATE items SET accepted = accepted + 1 WHERE id = @i AND accepted + leased < @k",
            ("i", a.ItemId), ("k", rules.Overlap));
        if (taken == 0)
            return new SubmitResult.Refused("The lease on this task expired and the task went to another tasker.");
        await w.ExecuteAsync("UPDATE assignments SET status = 'submitted', ended_at = @now WHERE id = @id",
            ("id", a.Id), ("now", answer.Now));
        return new SubmitResult.Accepted(await InsertAnswerAsync(w, answer), a.Id, Duplicate: false, Late: true);
    }

    static async Task<long> InsertAnswerAsync(WriteContext w, AnswerToStore answer)
    {
        var id = await w.ScalarAsync<long>(
            $"INSERT INTO answers ({WorkSql.AnswerColumns}) VALUES (@a, @p, @i, @t, @v, @k, @s, @now) RETURNING id", answer.Columns);
        await Pay.AnswerPay.RecordEarnedAsync(w, answer.Assignment.Id, answer.Now);
        return id;
    }

    sealed record AnswerToStore(FoundAssignment Assignment, string Value, string IdempotencyKey, double? ActiveSeconds, long Now)
    {
        /// The values of <see cref="WorkSql.AnswerColumns"/>.
        public (string, object?)[] Columns =>
            [("a", Assignment.Id), ("p", Assignment.ProjectId), ("i", Assignment.ItemId), ("t", Assignment.TaskerId),
             ("v", Value), ("k", IdempotencyKey), ("s", ActiveSeconds), ("now", Now)];
    }

    /// Gives the task back without penalty; the item is not offered to this tasker again. Skipping
    /// it again, or after its lease ran out, changes nothing; a task already answered stays answered.
    public async Task<SkipResult> SkipAsync(long assignmentId, int taskerId)
    {
        var found = await lookup.FindAsync(assignmentId);
        if (found is null || found.TaskerId != taskerId) return SkipResult.NotFound;
        if (found.AnswerId is not null) return SkipResult.AlreadySubmitted;
        var (released, status) = await writer.Run(found.ItemId, async w =>
        {
            if (await w.ExecuteAsync(
                    "UPDATE assignments SET status = 'skipped', ended_at = @now " +
                    "WHERE id = @id AND tasker_id = @t AND item_id = @i AND status = 'leased'",
                    ("id", assignmentId), ("t", taskerId), ("i", found.ItemId), ("now", Sql.Millis(clock.GetUtcNow()))) == 0)
                return (false, await w.ScalarAsync<string>("SELECT status FROM assignments WHERE id = @id AND tasker_id = @t AND item_id = @i",
                    ("id", assignmentId), ("t", taskerId), ("i", found.ItemId)));
            await w.ExecuteAsync("UPDATE items SET leased = leased - 1 WHERE id = @i", ("i", found.ItemId));
            return (true, AssignmentStatus.Skipped);
        });
        lookup.Forget(assignmentId);
        taskerLeases.Remove(found.ProjectId, taskerId, assignmentId);
        if (status == AssignmentStatus.Submitted) return SkipResult.AlreadySubmitted;
        if (released) metrics.Skipped();
        if (released && pools.TryGetLoaded(found.ProjectId, out var pool)) pool.Released(found.ItemId);
        return SkipResult.Skipped;
    }

    /// Returns every lease past its expiry to the pool.
    /// - It reads only the leases expiring after its mark (<see cref="DutyMark.LeaseExpiry"/>), by the
    ///   expiry index, and moves the mark in the same transaction. On PostgreSQL no index names the
    ///   status, so that a submission updates its assignment in place (Assignment.cs); "leased and
    ///   past its expiry" is then no index's range, but "expiring since the last round" is.
    /// - No lease is written behind the mark (<see cref="WorkSql.ExpiryNotBehindTheMark"/>). A test or tool
    ///   that moves an expiry must not move it before the mark.
    /// - Safe on several nodes at once: the mark's row lock puts sweeps one after another, each
    ///   assignment changes status in exactly one statement, and only that statement releases its slot.
    public async Task<int> ExpireLeasesAsync()
    {
        var now = Sql.Millis(clock.GetUtcNow());
        // First in its group: it locks many items, in item order.
        var expired = await writer.Run(0, async w =>
        {
            var from = await w.ScalarAsync<long?>(
                WorkSql.LeaseExpiryMark.For(w.IsSqlite), ("d", DutyMark.LeaseExpiry)) ?? 0;
            var rows = await w.RowsAsync(
                "UPDATE assignments SET status = 'expired', ended_at = @now " +
                "WHERE status = 'leased' AND expires_at > @from AND expires_at <= @now " +
                "RETURNING project_id, item_id", r => (Project: r.GetInt32(0), Item: r.GetInt64(1)),
                ("from", from), ("now", now));
            foreach (var (_, item) in rows.OrderBy(r => r.Item))
                await w.ExecuteAsync("UPDATE items SET leased = leased - 1 WHERE id = @i", ("i", item));
            await w.ExecuteAsync(
                "INSERT INTO duty_marks (duty, through) VALUES (@d, @now) " +
                "ON CONFLICT (duty) DO UPDATE SET through = excluded.through WHERE duty_marks.through < excluded.through",
                ("d", DutyMark.LeaseExpiry), ("now", now));
            return rows;
        });
        foreach (var (project, item) in expired)
            if (pools.TryGetLoaded(project, out var pool)) pool.Released(item);
        return expired.Count;
    }
}
