using System.Net;
using Fairlabel.Demo;
using Fairlabel.Tests.Infrastructure;

namespace Fairlabel.Tests.Pay;

public sealed class DemoPayTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task The_demos_sweatshop_project_is_a_draft_whose_publishing_is_refused_under_the_floor()
    {
        _ = server.Services;
        await DemoSeeder.SeedAsync(server.Services, TextWriter.Null);
        await DemoSeeder.SeedAsync(server.Services, TextWriter.Null);
        var requester = await Api.LogInAsync(server, "requester@demo.fairlabel.org", "fairlabel-demo");
        var projects = (await requester.GetJsonAsync("/api/projects")).EnumerateArray().ToList();
        var sweatshop = Assert.Single(projects, p => p.GetProperty("name").GetString() == "Sweatshop rate test");
        Assert.Equal("draft", sweatshop.GetProperty("status").GetString());
        Assert.Equal(0.06m, sweatshop.GetProperty("hourlyRate").GetDecimal());

        var refused = await requester.PostAsync($"/api/projects/{sweatshop.GetProperty("id").GetInt32()}/publish");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await Api.ProblemOf(refused);
        Assert.Equal(0.06m, problem.GetProperty("estimate").GetProperty("amount").GetDecimal());
        Assert.Contains("Illustrative", problem.GetProperty("floor").GetProperty("source").GetString());
        // The published demo projects hold their escrow, and a second seeding moved nothing again.
        Assert.Equal(2, projects.Count(p => p.GetProperty("status").GetString() == "published"));
        await LedgerChecks.AssertBalancedAsync(server, "after seeding the demo");
        Assert.Equal(3, (await LedgerChecks.TransfersAsync(server)).Count(t => t.Kind == Fairlabel.Pay.LedgerKinds.Deposit));
    }
}
