using Fairlabel.Projects;

namespace Fairlabel.Work;

/// A project changed on this node: its rules are read afresh, and its task pool reloaded when
/// its open slots changed (items imported, overlap changed); a withdrawn item is dropped from its pools.
sealed class ProjectChangesInWork(ProjectRulesCache rules, TaskPools pools) : IProjectChangeListener
{
    public void Changed(ProjectChange change)
    {
        rules.Forget(change.ProjectId);
        if (change.OpenSlotsChanged) pools.Forget(change.ProjectId);
        if (change.WithdrawnItem is { } item) pools.Withdraw(change.ProjectId, item);
    }
}
