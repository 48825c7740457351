using Fairlabel.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fairlabel.Migrations.Postgres;

/// Lets `dotnet ef migrations add` build the model for PostgreSQL without a server.
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<FairlabelDb>
{
    public FairlabelDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<FairlabelDb>()
            .UseNpgsql("Host=localhost;Database=fairlabel_design",
                o => o.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name))
            .Options);
}
