using Fairlabel.Accounts;
using Fairlabel.Events;
using Fairlabel.Items;
using Fairlabel.Projects;
using Fairlabel.Work;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Data;

public sealed class FairlabelDb(DbContextOptions<FairlabelDb> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<User> Users => Set<User>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<Item> Items => Set<Item>();
    public DbSet<ItemImport> Imports => Set<ItemImport>();
    public DbSet<Assignment> Assignments => Set<Assignment>();
    public DbSet<Answer> Answers => Set<Answer>();
    public DbSet<TaskerProfile> TaskerProfiles => Set<TaskerProfile>();
    public DbSet<Audiences.ProjectAudience> ProjectAudiences => Set<Audiences.ProjectAudience>();
    public DbSet<RecordedEvent> Events => Set<RecordedEvent>();
    public DbSet<Pay.PayFloor> PayFloors => Set<Pay.PayFloor>();
    public DbSet<Pay.LedgerTransfer> LedgerTransfers => Set<Pay.LedgerTransfer>();
    public DbSet<Pay.AnswerReview> AnswerReviews => Set<Pay.AnswerReview>();
    public DbSet<Infrastructure.DutyMark> DutyMarks => Set<Infrastructure.DutyMark>();
    /// The keys that protect session cookies and antiforgery tokens, shared by every node.
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.ApplyConfigurationsFromAssembly(typeof(FairlabelDb).Assembly);
        if (Database.IsSqlite()) AssignmentConfiguration.LeaseIndexesOnSqlite(model.Entity<Assignment>());
        else AssignmentConfiguration.LeaseIndexesOnPostgres(model.Entity<Assignment>());
        SnakeCaseNames.Apply(model);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // One representation of time on both engines (Unix milliseconds), so that the hand-written
        // SQL of the work loop compares times the same way on SQLite and PostgreSQL.
        conventions.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        conventions.Properties<decimal>().HavePrecision(18, 6);
    }
}
