using Fairlabel.Data;
using Fairlabel.Infrastructure;

namespace Fairlabel.Work;

/// The work loop's statements whose text differs by engine, the SQLite and PostgreSQL forms of
/// each side by side. Where PostgreSQL does in one statement (one round trip) what SQLite does in
/// several calls into the library, both are here under one heading. Statements of a mechanism
/// only one engine has (PostgreSQL's advisory locks in NodeReservations, SQLite's checkpoint
/// pragmas in GroupCommitWriter) stay with that mechanism; statements alike on both stay where they run.
static class WorkSql
{
    // ---- A lease handed out (WorkLoop.WriteLeaseAsync) ----

    public const string LeaseColumns = "project_id, item_id, tasker_id, status, leased_at, expires_at, pay_rate, currency";

    /// The expiry a lease is written with: its own, or, were that already behind the lease sweep's
    /// mark, just after the mark. The sweep reads only the expiries after its mark
    /// (<see cref="WorkLoop.ExpireLeasesAsync"/>), so a lease written behind it would never be swept and its
    /// slot would stay taken for good. That takes a lease written later than its own length after
    /// it was handed out, or a node whose clock is that far behind the leading node's; such a lease
    /// then expires at the first sweep after the mark's time. <paramref name="greatest"/>: the
    /// engine's name for the larger of two values (SQLite's `max` is NULL when one is, hence the
    /// `coalesce` for a database without a mark yet).
    public static string ExpiryNotBehindTheMark(string greatest) =>
        $"{greatest}(@exp, coalesce((SELECT through + 1 FROM duty_marks WHERE duty = '{DutyMark.LeaseExpiry}'), 0))";

    /// PostgreSQL: a lease handed out, as one statement (one round trip) that takes the slot and
    /// writes the lease, or changes nothing:
    /// - `slot` locks the item only if it has a free slot, waiting for a submission of the same
    ///   item to commit (the lease was promised, so it must not skip the row);
    /// - `lease` writes the assignment, under the id the tasker was given and with an expiry not
    ///   behind the sweep's mark, unless the tasker already had the item (unique index);
    /// - `taken` counts the slot only if the lease was written.
    public static readonly string LeaseOnPostgres =
        "WITH slot AS (SELECT id FROM items WHERE id = @i AND accepted + leased < @k FOR UPDATE), " +
        $"lease AS (INSERT INTO assignments (id, {LeaseColumns}) " +
        $"          SELECT @a, @p, id, @t, 'leased', @now, {ExpiryNotBehindTheMark("greatest")}, @pay, @cur FROM slot " +
        "          ON CONFLICT (item_id, tasker_id) DO NOTHING RETURNING item_id), " +
        "taken AS (UPDATE items SET leased = leased + 1 WHERE id = (SELECT item_id FROM lease)) " +
        "SELECT (SELECT id FROM slot) IS NOT NULL, (SELECT item_id FROM lease) IS NOT NULL";

    /// SQLite, statement by statement: take the slot, write the lease, give the slot back if the
    /// tasker already had the item.
    public const string TakeSlotOnSqlite = "UPDATE items SET leased = leased + 1 WHERE id = @i AND accepted + leased < @k";
    public static readonly string LeaseOnSqlite =
        $"INSERT INTO assignments (id, {LeaseColumns}) VALUES (@a, @p, @i, @t, 'leased', @now, {ExpiryNotBehindTheMark("max")}, @pay, @cur) " +
        "ON CONFLICT (item_id, tasker_id) DO NOTHING";
    public const string GiveSlotBackOnSqlite = "UPDATE items SET leased = leased - 1 WHERE id = @i";

    // ---- An answer to a live lease (WorkLoop.SubmitLiveLeaseAsync) ----

    public const string AnswerColumns = "assignment_id, project_id, item_id, tasker_id, value, idempotency_key, active_seconds, submitted_at";

    /// PostgreSQL: the common case, a live lease, as one statement (one round trip) that either
    /// stores the answer, counts it and ends the lease, or changes nothing.
    public const string SubmitLeasedOnPostgres =
        "WITH done AS (UPDATE assignments SET status = 'submitted', ended_at = @now " +
        "              WHERE id = @a AND tasker_id = @t AND item_id = @i AND status = 'leased' " +
        "              RETURNING item_id, pay_rate, currency), " +
        "counted AS (UPDATE items SET accepted = accepted + 1, leased = leased - 1 WHERE id = (SELECT item_id FROM done)), " +
        Pay.AnswerPay.EarnedOnPostgres + " " +
        $"INSERT INTO answers ({AnswerColumns}) SELECT @a, @p, @i, @t, @v, @k, @s, @now FROM done RETURNING id";

    /// SQLite, statement by statement: end the lease, count the answer, then insert it (the insert
    /// is the engines' common one).
    public const string EndLeaseOnSqlite =
        "UPDATE assignments SET status = 'submitted', ended_at = @now " +
        "WHERE id = @id AND tasker_id = @t AND item_id = @i AND status = 'leased'";
    public const string CountAnswerOnSqlite = "UPDATE items SET accepted = accepted + 1, leased = leased - 1 WHERE id = @i";

    // ---- Rows locked for the rest of the write: PostgreSQL's FOR UPDATE; SQLite has one writer ----

    /// An answer to a lease no longer live (WorkLoop.SubmitEndedLeaseAsync).
    public static readonly EngineSql EndedLeaseStatus = new(
        Sqlite: "SELECT status FROM assignments WHERE id = @id AND tasker_id = @t AND item_id = @i",
        Postgres: "SELECT status FROM assignments WHERE id = @id AND tasker_id = @t AND item_id = @i FOR UPDATE");

    /// The lease sweep's mark (WorkLoop.ExpireLeasesAsync).
    public static readonly EngineSql LeaseExpiryMark = new(
        Sqlite: "SELECT through FROM duty_marks WHERE duty = @d",
        Postgres: "SELECT through FROM duty_marks WHERE duty = @d FOR UPDATE");

    // ---- A tasker's leases and those known only here (TaskerLeases.ReadAsync) ----

    /// `@known`: the ids as a JSON array on SQLite, an array parameter on PostgreSQL.
    public static readonly EngineSql LeasesOfTasker = new(
        Sqlite: TaskerLeasesWhere + "id IN (SELECT value FROM json_each(@known))",
        Postgres: TaskerLeasesWhere + "id = ANY(@known)");
    const string TaskerLeasesWhere =
        "SELECT id, expires_at, status FROM assignments " +
        "WHERE (tasker_id = @t AND project_id = @p AND expires_at > @now AND status = 'leased') OR ";

    // ---- An assignment found by id (AssignmentLookup) ----

    const string FindAssignment =
        "SELECT a.id, a.project_id, a.item_id, a.tasker_id, a.status, an.id FROM assignments a " +
        "LEFT JOIN answers an ON an.assignment_id = a.id WHERE ";
    /// SQLite: one at a time, a call into the library.
    public const string FindAssignmentOnSqlite = FindAssignment + "a.id = @id";
    /// PostgreSQL: many requests' lookups in one round trip.
    public const string FindAssignmentsOnPostgres = FindAssignment + "a.id = ANY(@ids)";

    // ---- Assignment ids taken ahead (NodeReservations.RefillAsync) ----

    public const string TakeIdsOnPostgres =
        "SELECT nextval(pg_get_serial_sequence('assignments', 'id')) FROM generate_series(1, @n)";

    /// SQLite: moves the AUTOINCREMENT mark of assignments past a batch of ids (its row exists once
    /// a row has been inserted, hence the first statement).
    public const string IdMarkOnSqlite =
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'assignments', 0 " +
        "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'assignments')";
    public const string TakeIdsOnSqlite =
        "UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max(id), 0) FROM assignments)) + @n " +
        "WHERE name = 'assignments' RETURNING seq";
}
