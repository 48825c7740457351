using System.Net;
using System.Net.Http.Json;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Pay;

/// The floor table is the installation's: every test starts by emptying it.
public abstract class PayFloorsApiTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    static object Floor(string country, string currency, decimal hourly, string source = "Illustrative, for tests") =>
        new { country, currency, hourlyAmount = hourly, source };

    async Task<Api> EmptyFloorTableAsync()
    {
        var op = await Operators.OfAsync(server);
        foreach (var floor in (await op.GetJsonAsync("/api/pay-floors")).EnumerateArray())
            Assert.Equal(HttpStatusCode.NoContent, (await op.Http.DeleteAsync($"/api/admin/pay-floors/{floor.GetProperty("id")}")).StatusCode);
        return op;
    }

    [Fact]
    public async Task Publishing_under_a_floor_is_refused_naming_the_country_the_floor_and_the_estimate()
    {
        var op = await EmptyFloorTableAsync();
        Assert.Equal(HttpStatusCode.OK, (await op.Http.PutAsJsonAsync("/api/admin/pay-floors", Floor("*", "CAD", 8m))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.Http.PutAsJsonAsync("/api/admin/pay-floors", Floor("KE", "CAD", 3m))).StatusCode);
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester, P.Input(pay: 0.001m, estimatedSeconds: 60, currency: "CAD"));
        await P.ImportAsync(requester, id, P.Lines(3));

        var refused = await requester.PostAsync($"/api/projects/{id}/publish");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await Api.ProblemOf(refused);
        Assert.Equal("*", problem.GetProperty("country").GetString());
        Assert.Equal(8m, problem.GetProperty("floor").GetProperty("amount").GetDecimal());
        Assert.Equal("CAD", problem.GetProperty("floor").GetProperty("currency").GetString());
        Assert.Equal(0.06m, problem.GetProperty("estimate").GetProperty("amount").GetDecimal());
        Assert.Equal(2, problem.GetProperty("countriesBelowFloor").GetInt32());
        Assert.Contains("0.06 CAD", problem.GetProperty("detail").GetString());
        Assert.Equal("draft", (await requester.GetJsonAsync($"/api/projects/{id}")).GetProperty("status").GetString());

        // 0.07 for 60 s is 4.20 an hour: above Kenya's floor, still under the default.
        Assert.Equal(HttpStatusCode.OK, (await requester.Http.PutAsJsonAsync($"/api/projects/{id}",
            P.Input(pay: 0.07m, estimatedSeconds: 60, currency: "CAD"))).StatusCode);
        problem = await Api.ProblemOf(await requester.PostAsync($"/api/projects/{id}/publish"));
        Assert.Equal("*", problem.GetProperty("country").GetString());
        Assert.Equal(1, problem.GetProperty("countriesBelowFloor").GetInt32());

        Assert.Equal(HttpStatusCode.OK, (await requester.Http.PutAsJsonAsync($"/api/projects/{id}",
            P.Input(pay: 0.15m, estimatedSeconds: 60, currency: "CAD"))).StatusCode);
        await P.FundAsync(requester, 100m, "CAD");
        Assert.Equal(HttpStatusCode.OK, (await requester.PostAsync($"/api/projects/{id}/publish")).StatusCode);
    }

    [Fact]
    public async Task A_floor_only_in_another_currency_refuses_the_project_and_says_which()
    {
        var op = await EmptyFloorTableAsync();
        Assert.Equal(HttpStatusCode.OK, (await op.Http.PutAsJsonAsync("/api/admin/pay-floors", Floor("SE", "SEK", 120m))).StatusCode);
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester, P.Input(pay: 5m, estimatedSeconds: 60, currency: "NOK"));
        await P.ImportAsync(requester, id, P.Lines(2));
        var problem = await Api.ProblemOf(await requester.PostAsync($"/api/projects/{id}/publish"));
        Assert.Equal("SE", problem.GetProperty("country").GetString());
        Assert.Equal("SEK", problem.GetProperty("floor").GetProperty("currency").GetString());
        Assert.Contains("kept in SEK", problem.GetProperty("detail").GetString());

        // A floor in NOK as well makes the project measurable, and 300 NOK an hour meets it.
        Assert.Equal(HttpStatusCode.OK, (await op.Http.PutAsJsonAsync("/api/admin/pay-floors", Floor("SE", "NOK", 110m))).StatusCode);
        await P.FundAsync(requester, 100m, "NOK");
        Assert.Equal(HttpStatusCode.OK, (await requester.PostAsync($"/api/projects/{id}/publish")).StatusCode);
    }

    [Theory]
    [InlineData("Kenya", "CHF", 3, "src", "country")]
    [InlineData("ke", "CHF", 3, "src", "country")]
    [InlineData("KE", "XYZ", 3, "src", "currency")]
    [InlineData("KE", "CHF", 0, "src", "hourlyAmount")]
    [InlineData("KE", "CHF", 3.123456, "src", "hourlyAmount")]
    [InlineData("KE", "CHF", 3, " ", "source")]
    public async Task A_bad_floor_is_refused_naming_the_field_and_changes_nothing(string country, string currency, decimal hourly,
        string source, string field)
    {
        var op = await EmptyFloorTableAsync();
        var response = await op.Http.PutAsJsonAsync("/api/admin/pay-floors", Floor(country, currency, hourly, source));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Api.ProblemOf(response)).GetProperty("errors").TryGetProperty(field, out _));
        Assert.DoesNotContain((await op.GetJsonAsync("/api/pay-floors")).EnumerateArray(), f => f.GetProperty("currency").GetString() == "CHF");
    }

    [Fact]
    public async Task Setting_a_floor_again_replaces_it_and_only_an_operator_may()
    {
        var op = await EmptyFloorTableAsync();
        await op.Http.PutAsJsonAsync("/api/admin/pay-floors", Floor("GB", "GBP", 6m, "first"));
        var again = await (await op.Http.PutAsJsonAsync("/api/admin/pay-floors", Floor("GB", "GBP", 9m, "second")))
            .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var floors = (await op.GetJsonAsync("/api/pay-floors")).EnumerateArray().Where(f => f.GetProperty("currency").GetString() == "GBP").ToList();
        var floor = Assert.Single(floors);
        Assert.Equal(9m, floor.GetProperty("hourlyAmount").GetDecimal());
        Assert.Equal("second", floor.GetProperty("source").GetString());

        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        foreach (var who in new[] { requester, tasker })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await who.Http.PutAsJsonAsync("/api/admin/pay-floors", Floor("GB", "GBP", 1m))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await who.Http.DeleteAsync($"/api/admin/pay-floors/{again.GetProperty("id")}")).StatusCode);
        }
        Assert.Single((await requester.GetJsonAsync("/api/pay-floors")).EnumerateArray(), f => f.GetProperty("currency").GetString() == "GBP");
        Assert.Equal(HttpStatusCode.NoContent, (await op.Http.DeleteAsync($"/api/admin/pay-floors/{again.GetProperty("id")}")).StatusCode);
        Assert.DoesNotContain((await op.GetJsonAsync("/api/pay-floors")).EnumerateArray(), f => f.GetProperty("currency").GetString() == "GBP");
    }
}

public sealed class PayFloorsApiOnSqlite(SqliteServer server) : PayFloorsApiTests<SqliteServer>(server);
public sealed class PayFloorsApiOnPostgres(PostgresServer server) : PayFloorsApiTests<PostgresServer>(server);
