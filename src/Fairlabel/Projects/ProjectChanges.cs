namespace Fairlabel.Projects;

/// A project changed on this node: its settings or status, or (<paramref name="OpenSlotsChanged"/>)
/// which of its items have open slots, because items were imported or the overlap changed, or
/// (<paramref name="WithdrawnItem"/>) one of its items must not be handed out again (reported content).
public readonly record struct ProjectChange(int ProjectId, bool OpenSlotsChanged, long? WithdrawnItem = null);

/// A feature that keeps something of projects in memory and must hear of their changes (the work
/// loop's rules and task pools). Other nodes' changes reach it through its own freshness rules.
public interface IProjectChangeListener
{
    void Changed(ProjectChange change);
}

/// The one way a project's change is told to the features that keep some of it in memory.
public sealed class ProjectChanges(IEnumerable<IProjectChangeListener> listeners)
{
    public void Changed(int projectId, bool openSlotsChanged = false)
    {
        foreach (var listener in listeners) listener.Changed(new ProjectChange(projectId, openSlotsChanged));
    }

    public void ItemsAdded(int projectId) => Changed(projectId, openSlotsChanged: true);

    public void ItemWithdrawn(int projectId, long itemId)
    {
        foreach (var listener in listeners) listener.Changed(new ProjectChange(projectId, false, itemId));
    }
}
