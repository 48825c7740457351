using Fairlabel.Data;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Pay;

public sealed record AccountBalance(string Account, decimal Balance, string Currency);

/// Reading and writing the ledger outside the work loop (which writes its one movement per answer
/// in its own statements: <see cref="AnswerPay"/>).
public static class Ledger
{
    /// Balances per account and currency, of the accounts whose name starts with <paramref name="prefix"/>
    /// (every account when null); an account that never moved money has none.
    public static async Task<List<AccountBalance>> BalancesAsync(FairlabelDb db, string? prefix = null, string? account = null)
    {
        var transfers = db.LedgerTransfers.AsNoTracking();
        var entered = await transfers
            .Where(t => (account == null || t.ToAccount == account) && (prefix == null || t.ToAccount.StartsWith(prefix)))
            .GroupBy(t => new { t.ToAccount, t.Currency })
            .Select(g => new { Account = g.Key.ToAccount, g.Key.Currency, Micros = g.Sum(t => t.AmountMicros) }).ToListAsync();
        var left = await transfers
            .Where(t => (account == null || t.FromAccount == account) && (prefix == null || t.FromAccount.StartsWith(prefix)))
            .GroupBy(t => new { t.FromAccount, t.Currency })
            .Select(g => new { Account = g.Key.FromAccount, g.Key.Currency, Micros = -g.Sum(t => t.AmountMicros) }).ToListAsync();
        return [.. entered.Concat(left).GroupBy(b => (b.Account, b.Currency))
            .Select(g => new AccountBalance(g.Key.Account, g.Sum(b => b.Micros) / LedgerTransfer.Micro, g.Key.Currency))
            .OrderBy(b => b.Account, StringComparer.Ordinal).ThenBy(b => b.Currency, StringComparer.Ordinal)];
    }

    public static async Task<Money> BalanceAsync(FairlabelDb db, string account, string currency) =>
        new((await BalancesAsync(db, account: account)).Where(b => b.Currency == currency).Sum(b => b.Balance), currency);

    /// Adds a movement to the context (saved with the caller's other changes, in one transaction).
    public static LedgerTransfer Move(FairlabelDb db, string key, string kind, string from, string to, Money amount,
        DateTimeOffset at, int? organisationId = null, int? projectId = null)
    {
        var transfer = new LedgerTransfer
        {
            Key = key, Kind = kind, FromAccount = from, ToAccount = to, AmountMicros = LedgerTransfer.MicrosOf(amount.Amount),
            Currency = amount.Currency, OrganisationId = organisationId, ProjectId = projectId, At = at,
        };
        if (transfer.AmountMicros <= 0) throw new ArgumentOutOfRangeException(nameof(amount), "A movement moves a positive amount.");
        db.LedgerTransfers.Add(transfer);
        return transfer;
    }
}
