using Fairlabel.Projects;

namespace Fairlabel.Work;

public static class WorkSetup
{
    public static void AddWorkLoop(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkOptions>().BindConfiguration("Work");
        builder.Services.AddSingleton<GroupCommitWriter>();
        builder.Services.AddSingleton<AssignmentLookup>();
        builder.Services.AddSingleton<TaskPools>();
        builder.Services.AddSingleton<NodeReservations>();
        builder.Services.AddSingleton<TaskerLeases>();
        builder.Services.AddSingleton<ProjectRulesCache>();
        builder.Services.AddSingleton<HandOutRules>();
        builder.Services.AddSingleton<WorkLoop>();
        builder.Services.AddSingleton<WorkMetrics>();
        builder.Services.AddSingleton<IProjectChangeListener, ProjectChangesInWork>();
        builder.Services.AddSingleton<Infrastructure.DutyLeader>();
        builder.Services.AddHostedService<LeaseExpiry>();
        builder.Services.AddHostedService<SqliteCheckpoints>();
        builder.Services.AddHostedService<HeldBlocksKeeper>();
    }
}
