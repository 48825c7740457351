using System.Net;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Pay;

public abstract class CurrencyApiTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    [Theory]
    [InlineData("XYZ")]
    [InlineData("usd")]
    [InlineData("XTS")]
    public async Task A_project_in_a_currency_not_on_the_ISO_4217_list_is_refused_naming_the_field(string currency)
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var response = await requester.PostAsync("/api/projects", P.Input(currency: currency));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Api.ProblemOf(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("currency", out _), errors.ToString());
        Assert.Empty((await requester.GetJsonAsync("/api/projects")).EnumerateArray());
    }

    [Fact]
    public async Task A_project_in_euros_is_accepted()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester, P.Input(currency: "EUR"));
        Assert.Equal("EUR", (await requester.GetJsonAsync($"/api/projects/{id}")).GetProperty("currency").GetString());
    }
}

public sealed class CurrencyApiOnSqlite(SqliteServer server) : CurrencyApiTests<SqliteServer>(server);
public sealed class CurrencyApiOnPostgres(PostgresServer server) : CurrencyApiTests<PostgresServer>(server);
