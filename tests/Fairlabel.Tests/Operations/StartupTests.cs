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
    public async Task A_session_key_certificate_that_cannot_be_read_stops_the_start_naming_the_setting()
    {
        using var database = new ProcessDatabase(Engine.Sqlite);
        var missing = Path.Combine(database.DataDirectory, "no-such.pfx");
        await using var server = ServerProcess.Launch("serve", [.. database.ServerArguments, "--DataProtection:CertificateFile", missing]);
        Assert.Equal(3, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"DataProtection:CertificateFile ({missing}) cannot be read", server.Output);

        // The right file with the wrong password is refused the same way, before anything is served.
        var certificate = MultiNodeTests.SessionKeyCertificateFile(database.DataDirectory, "right");
        await using var wrongPassword = ServerProcess.Launch("serve",
            [.. database.ServerArguments, "--DataProtection:CertificateFile", certificate, "--DataProtection:CertificatePassword", "wrong"]);
        Assert.Equal(3, await wrongPassword.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"DataProtection:CertificateFile ({certificate}) cannot be read", wrongPassword.Output);
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
