using Fairlabel.Work;

namespace Fairlabel.Pay;

/// A submitted answer's pay: its task's locked rate moves from the project's escrow to the
/// tasker's pending earnings, in the same transaction as the answer (the work loop's group commit).
/// One row inserted per answer; the key is the assignment's, which has at most one answer.
public static class AnswerPay
{
    const string Columns = "key, from_account, to_account, amount_micros, currency, kind, project_id, tasker_id, assignment_id, at";

    /// After the answer's insert (SQLite, and late answers on PostgreSQL): one statement, reading the locked rate from the assignment.
    public static Task RecordEarnedAsync(WriteContext w, long assignmentId, long now) =>
        w.ExecuteAsync(
            $"INSERT INTO ledger_transfers ({Columns}) " +
            "SELECT 'earned:' || id, 'escrow:project:' || project_id, 'pending:tasker:' || tasker_id, " +
            "CAST(ROUND(pay_rate * 1000000) AS BIGINT), currency, 'earned', project_id, tasker_id, id, @now " +
            "FROM assignments WHERE id = @a",
            ("a", assignmentId), ("now", now));

    /// PostgreSQL: a CTE for the work loop's one-statement submission, given the CTE `done` that
    /// returns the submitted assignment's pay_rate and currency, and the parameters @a, @p, @t, @now.
    public const string EarnedOnPostgres =
        $"earned AS (INSERT INTO ledger_transfers ({Columns}) " +
        "SELECT 'earned:' || CAST(@a AS text), 'escrow:project:' || CAST(@p AS text), 'pending:tasker:' || CAST(@t AS text), " +
        "CAST(done.pay_rate * 1000000 AS bigint), done.currency, 'earned', @p, @t, @a, @now FROM done)";
}
