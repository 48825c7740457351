using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Fairlabel.Tests.Infrastructure;

/// The server's clock, moved ahead by the test: what expires is seen to expire without waiting.
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Ahead { get; set; }
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Ahead;
}

/// A server whose clock the test moves. Tests that move it reset it before they end.
public class ClockedServer(Engine engine) : FairlabelServer(engine)
{
    public ShiftedClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

public sealed class ClockedSqliteServer() : ClockedServer(Engine.Sqlite);
public sealed class ClockedPostgresServer() : ClockedServer(Engine.Postgres);
