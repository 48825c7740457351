using Fairlabel.Tests.Infrastructure;

namespace Fairlabel.Tests.Operations;

public sealed class StartupTests
{
    [Fact]
    public async Task An_unreachable_database_stops_the_start_with_an_error_naming_it()
    {
        var port = ServerProcess.FreePort(); // nothing listens there
        await using var server = ServerProcess.Launch("serve", ["--Database:Provider", "postgres",
            "--ConnectionStrings:Fairlabel", $"Host=127.0.0.1;Port={port};Username=nobody;Database=fairlabel;Timeout=3"]);
        Assert.Equal(3, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"Cannot reach the database (PostgreSQL 127.0.0.1:{port}/fairlabel)", server.Output);
    }

    [Fact]
    public async Task Serve_refuses_an_unmigrated_database_and_says_what_to_run()
    {
        using var database = new ProcessDatabase(Engine.Sqlite);
        await using var server = ServerProcess.Launch("serve", ["--data", database.DataDirectory]);
        Assert.Equal(3, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("run `fairlabel migrate` first", server.Output);
    }
}
