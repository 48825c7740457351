using Fairlabel.Data;
using Fairlabel.Pay;
using Fairlabel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fairlabel.Tests.Pay;

/// The ledger's invariants, read from the server's database.
public static class LedgerChecks
{
    public static async Task<List<LedgerTransfer>> TransfersAsync(FairlabelServer server)
    {
        using var scope = server.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<FairlabelDb>().LedgerTransfers.AsNoTracking().ToListAsync();
    }

    public static async Task<List<AccountBalance>> BalancesAsync(FairlabelServer server)
    {
        using var scope = server.Services.CreateScope();
        return await Ledger.BalancesAsync(scope.ServiceProvider.GetRequiredService<FairlabelDb>());
    }

    public static decimal BalanceOf(this List<AccountBalance> balances, string account, string currency = "USD") =>
        balances.Where(b => b.Account == account && b.Currency == currency).Sum(b => b.Balance);

    /// Every movement balances (one positive amount, out of one account and into another, in a
    /// known currency), every key is used once, and the balances of each currency sum to zero.
    public static async Task AssertBalancedAsync(FairlabelServer server, string when)
    {
        var transfers = await TransfersAsync(server);
        foreach (var t in transfers)
        {
            Assert.True(t.AmountMicros > 0, $"{when}: transfer {t.Key} moves {t.AmountMicros}");
            Assert.NotEqual(t.FromAccount, t.ToAccount);
            Assert.True(Currencies.IsKnown(t.Currency), $"{when}: {t.Currency}");
        }
        Assert.Equal(transfers.Count, transfers.Select(t => t.Key).Distinct().Count());
        foreach (var currency in (await BalancesAsync(server)).GroupBy(b => b.Currency))
            Assert.True(currency.Sum(b => b.Balance) == 0, $"{when}: {currency.Key} balances sum to {currency.Sum(b => b.Balance)}");
    }
}
