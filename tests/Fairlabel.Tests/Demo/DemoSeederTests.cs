using Fairlabel.Demo;
using Fairlabel.Tests.Infrastructure;

namespace Fairlabel.Tests.Demo;

public sealed class DemoSeederTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task The_demo_seeds_two_published_projects_and_every_role_once()
    {
        _ = server.Services; // start the host so the database is migrated
        var output = new StringWriter();
        await DemoSeeder.SeedAsync(server.Services, output);
        await DemoSeeder.SeedAsync(server.Services, TextWriter.Null); // a second start changes nothing

        Assert.Contains("tasker3@demo.fairlabel.org", output.ToString());
        Assert.Equal(5, await server.ScalarAsync("SELECT count(*) FROM users WHERE email LIKE '%@demo.fairlabel.org'"));
        Assert.Equal(2, await server.ScalarAsync("SELECT count(*) FROM projects WHERE status = 'published'"));
        Assert.Equal(36, await server.ScalarAsync(
            "SELECT count(*) FROM items i JOIN projects p ON p.id = i.project_id WHERE p.name = 'Chatbot answer comparison'"));
        Assert.Equal(40, await server.ScalarAsync(
            "SELECT count(*) FROM items i JOIN projects p ON p.id = i.project_id WHERE p.name = 'Support ticket routing'"));
        Assert.True(await server.ScalarAsync("SELECT count(*) FROM items WHERE gold IS NOT NULL") >= 14);

        // The demo pay clears a decent hourly rate.
        var tasker = await Api.SignUpAsync(server, "tasker");
        foreach (var project in (await tasker.GetJsonAsync("/api/work/projects")).EnumerateArray())
            Assert.True(project.GetProperty("hourlyRate").GetDecimal() >= 15m);
    }
}
