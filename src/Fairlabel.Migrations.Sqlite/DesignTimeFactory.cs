using Fairlabel.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fairlabel.Migrations.Sqlite;

/// Lets `dotnet ef migrations add` build the model for SQLite without starting the server.
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<FairlabelDb>
{
    public FairlabelDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<FairlabelDb>()
            .UseSqlite("Data Source=design-time.db", o => o.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name))
            .Options);
}
