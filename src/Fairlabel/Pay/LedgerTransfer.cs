using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Pay;

/// One movement of money in the append-only, double-entry ledger: <see cref="AmountMicros"/> leaves
/// <see cref="FromAccount"/> and the same amount enters <see cref="ToAccount"/>, in one currency.
/// Both entries are one row, so a movement cannot be half-written or unbalanced; rows are never
/// changed or deleted (a correction is a movement back). Balances are derived: what entered an
/// account less what left it. <see cref="Key"/> is unique, so a retried movement is stored once.
public sealed class LedgerTransfer
{
    public long Id { get; set; }
    /// What the movement is of, unique: `earned:{assignment}`, `deposit:{organisation}:{reference}` …
    public required string Key { get; set; }
    public required string FromAccount { get; set; }
    public required string ToAccount { get; set; }
    /// Millionths of the currency's unit, an integer so that both engines sum it exactly (SQLite
    /// keeps decimals as text and would sum them as floating point).
    public long AmountMicros { get; set; }
    public required string Currency { get; set; }
    public required string Kind { get; set; }
    public int? OrganisationId { get; set; }
    public int? ProjectId { get; set; }
    public int? TaskerId { get; set; }
    public long? AssignmentId { get; set; }
    public DateTimeOffset At { get; set; }

    public Money Amount => new(AmountMicros / Micro, Currency);
    public const decimal Micro = 1_000_000m;
    public static long MicrosOf(decimal amount) => (long)decimal.Round(amount * Micro);
}

/// The kinds of movement, and the accounts they move between.
public static class LedgerKinds
{
    /// An operator recorded money received from a requester: deposits → funding.
    public const string Deposit = "deposit";
    /// Publishing set money aside for the project's work, fees and top-ups: funding → escrow.
    public const string Escrow = "escrow";
    /// A tasker submitted an answer: its locked pay, escrow → pending.
    public const string Earned = "earned";
    /// The answer was accepted, or not reviewed in time: pending → approved.
    public const string Approved = "approved";
    /// The answer was rejected with a reason: pending → back to escrow.
    public const string Rejected = "rejected";
    /// The platform's fee on approved pay: escrow → platform fees.
    public const string Fee = "fee";
}

/// Account names: the kind of account and whose it is.
public static class LedgerAccounts
{
    /// Money an organisation sent from outside; its balance is the negative of all it sent.
    public static string Deposits(int organisationId) => $"deposits:org:{organisationId}";
    public static string Funding(int organisationId) => $"funding:org:{organisationId}";
    public static string Escrow(int projectId) => $"escrow:project:{projectId}";
    public static string Pending(int taskerId) => $"pending:tasker:{taskerId}";
    public static string Approved(int taskerId) => $"approved:tasker:{taskerId}";
    public static string Payouts(int taskerId) => $"payouts:tasker:{taskerId}";
    public const string PlatformFees = "fees:platform";
}

sealed class LedgerTransferConfiguration : IEntityTypeConfiguration<LedgerTransfer>
{
    public void Configure(EntityTypeBuilder<LedgerTransfer> t)
    {
        t.HasIndex(x => x.Key).IsUnique();
        // Balances read what entered and what left an account.
        t.HasIndex(x => x.ToAccount);
        t.HasIndex(x => x.FromAccount);
        t.Property(x => x.Key).HasMaxLength(200);
        t.Property(x => x.FromAccount).HasMaxLength(64);
        t.Property(x => x.ToAccount).HasMaxLength(64);
        t.Property(x => x.Currency).HasMaxLength(3);
        t.Property(x => x.Kind).HasMaxLength(16);
        t.Ignore(x => x.Amount);
        t.ToTable(table =>
        {
            table.HasCheckConstraint("ck_ledger_transfers_positive", "amount_micros > 0");
            table.HasCheckConstraint("ck_ledger_transfers_two_accounts", "from_account <> to_account");
        });
    }
}
