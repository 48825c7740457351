using Xunit.Abstractions;
using System.Net;
using Fairlabel.Pay;
using Fairlabel.Tests.Infrastructure;
using static Fairlabel.Tests.Infrastructure.Tasks;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Pay;

/// Random sequences of every money operation there is (deposits, repeated deposits, publishing,
/// pausing and publishing again, answers, repeated answers, acceptances, rejections, repeated
/// reviews), through the API; after each, every
/// movement balances, the balances of each currency sum to zero, no funding, escrow or pending
/// account is below zero, and the ledger agrees with a model of what was done.
public abstract class LedgerPropertyTests<TServer>(TServer server, ITestOutputHelper output) : IClassFixture<TServer>
    where TServer : FairlabelServer
{
    [Fact]
    public async Task Every_sequence_of_money_operations_keeps_the_ledger_balanced()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        string[] currencies = ["USD", "EUR"];
        var requesters = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Api.SignUpAsync(server, "requester")));
        var taskers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Api.SignUpAsync(server, "tasker")));
        var projects = new List<(Api Owner, int Id, string Currency, decimal Pay)>();
        foreach (var owner in requesters)
            foreach (var currency in currencies)
            {
                var pay = random.Next(1, 60) / 100m;
                var id = await P.CreateAsync(owner, P.Input(overlap: 2, pay: pay, currency: currency));
                await P.ImportAsync(owner, id, P.Lines(2));
                projects.Add((owner, id, currency, pay));
            }
        var deposited = new Dictionary<(Api, string), decimal>();
        var references = new List<(Api Owner, decimal Amount, string Currency, string Reference)>();
        var paid = new Dictionary<long, (int Tasker, decimal Pay, string Currency)>();
        var answered = new List<(Api Tasker, long Assignment, long Answer, int Project)>();
        var reviewed = new Dictionary<long, string>();

        for (var step = 0; step < 40; step++)
        {
            string what;
            switch (random.Next(8))
            {
                case 0 or 1:
                {
                    var owner = requesters[random.Next(requesters.Length)];
                    var (amount, currency, reference) = references.Count > 0 && random.Next(3) == 0
                        ? references[random.Next(references.Count)] is var r && r.Owner == owner ? (r.Amount, r.Currency, r.Reference)
                            : (random.Next(1, 300) / 100m, currencies[random.Next(2)], Guid.NewGuid().ToString("n"))
                        : (random.Next(1, 300) / 100m, currencies[random.Next(2)], Guid.NewGuid().ToString("n"));
                    await P.FundAsync(owner, amount, currency, reference);
                    if (!references.Any(x => x.Reference == reference))
                    {
                        references.Add((owner, amount, currency, reference));
                        deposited[(owner, currency)] = deposited.GetValueOrDefault((owner, currency)) + amount;
                    }
                    what = $"deposit {amount} {currency}";
                    break;
                }
                case 2:
                {
                    var project = projects[random.Next(projects.Count)];
                    var response = await project.Owner.PostAsync($"/api/projects/{project.Id}/{(random.Next(4) == 0 ? "pause" : "publish")}");
                    Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
                    what = $"publish or pause {project.Id}: {(int)response.StatusCode}";
                    break;
                }
                case 3 or 4:
                {
                    var tasker = taskers[random.Next(taskers.Length)];
                    var project = projects[random.Next(projects.Count)];
                    var next = await tasker.PostAsync($"/api/work/projects/{project.Id}/tasks/next");
                    what = $"next {project.Id}: {(int)next.StatusCode}";
                    if (next.StatusCode != HttpStatusCode.OK) break;
                    var task = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(next.Content);
                    var receipt = await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(task)}/submit", P.Answer());
                    paid[AssignmentOf(task)] = (tasker.UserId, task.GetProperty("payRate").GetDecimal(), task.GetProperty("currency").GetString()!);
                    answered.Add((tasker, AssignmentOf(task), receipt.GetProperty("answerId").GetInt64(), project.Id));
                    what += ", answered";
                    break;
                }
                case 5 or 6:
                {
                    if (answered.Count == 0) { what = "nothing to review"; break; }
                    var (_, assignment, answer, projectId) = answered[random.Next(answered.Count)];
                    var owner = projects.First(p => p.Id == projectId).Owner;
                    var accept = random.Next(2) == 0;
                    var response = await owner.PostAsync($"/api/projects/{projectId}/answers/{answer}/review", accept
                        ? new { decision = "accept", reason = (string?)null, note = (string?)null }
                        : new { decision = "reject", reason = (string?)"low_effort", note = (string?)"Not the question asked" });
                    var decision = accept ? "accepted" : "rejected";
                    if (!reviewed.TryGetValue(assignment, out var before)) reviewed[assignment] = decision;
                    Assert.Equal((before ?? decision) == decision ? HttpStatusCode.OK : HttpStatusCode.Conflict, response.StatusCode);
                    what = $"review {answer} {decision}: {(int)response.StatusCode}";
                    break;
                }
                default:
                {
                    if (answered.Count == 0) { what = "nothing to resend"; break; }
                    var (tasker, assignment, _, _) = answered[random.Next(answered.Count)];
                    var again = await tasker.PostAsync($"/api/work/tasks/{assignment}/submit", P.Answer());
                    Assert.True(again.IsSuccessStatusCode, await again.Content.ReadAsStringAsync());
                    what = $"resend {assignment}";
                    break;
                }
            }
            await CheckAsync($"step {step} ({what}), seed {seed}");
        }

        async Task CheckAsync(string when)
        {
            await LedgerChecks.AssertBalancedAsync(server, when);
            var balances = await LedgerChecks.BalancesAsync(server);
            foreach (var b in balances.Where(b => b.Account.StartsWith("funding:") || b.Account.StartsWith("escrow:") || b.Account.StartsWith("pending:")))
                Assert.True(b.Balance >= 0, $"{when}: {b.Account} holds {b.Balance} {b.Currency}");
            foreach (var tasker in taskers)
                foreach (var currency in currencies)
                {
                    var mine = paid.Where(p => p.Value.Tasker == tasker.UserId && p.Value.Currency == currency).ToList();
                    Assert.Equal(mine.Where(p => !reviewed.ContainsKey(p.Key)).Sum(p => p.Value.Pay),
                        balances.BalanceOf(LedgerAccounts.Pending(tasker.UserId), currency));
                    Assert.Equal(mine.Where(p => reviewed.GetValueOrDefault(p.Key) == "accepted").Sum(p => p.Value.Pay),
                        balances.BalanceOf(LedgerAccounts.Approved(tasker.UserId), currency));
                }
            foreach (var ((owner, currency), amount) in deposited)
            {
                var org = (await owner.GetJsonAsync("/api/auth/me")).GetProperty("organisation").GetProperty("id").GetInt32();
                var inProjects = projects.Where(p => p.Owner == owner && p.Currency == currency)
                    .Sum(p => balances.BalanceOf(LedgerAccounts.Escrow(p.Id), currency));
                var earnedFromOwner = (await LedgerChecks.TransfersAsync(server))
                    .Where(t => projects.Any(p => p.Owner == owner && p.Id == t.ProjectId) && t.Currency == currency)
                    .Sum(t => t.Kind switch
                    {
                        LedgerKinds.Earned or LedgerKinds.Fee => t.Amount.Amount, LedgerKinds.Rejected => -t.Amount.Amount, _ => 0,
                    });
                // What the organisation deposited is in its funding, its projects' escrow, or paid out of escrow.
                Assert.Equal(amount, balances.BalanceOf(LedgerAccounts.Funding(org), currency) + inProjects + earnedFromOwner);
            }
            Assert.Equal(paid.Count, (await LedgerChecks.TransfersAsync(server)).Count(t => t.Kind == LedgerKinds.Earned));
        }
    }
}

public sealed class LedgerPropertyOnSqlite(SqliteServer server, ITestOutputHelper output) : LedgerPropertyTests<SqliteServer>(server, output);
public sealed class LedgerPropertyOnPostgres(PostgresServer server, ITestOutputHelper output) : LedgerPropertyTests<PostgresServer>(server, output);
