using System.Collections.Concurrent;
using Fairlabel.Data;
using Fairlabel.Projects;

namespace Fairlabel.Wellbeing;

/// The sensitivity categories of each project's flagged items, kept in memory so that the task
/// page learns which items to blur and mute without a database read on the hand-out.
/// - A project's map is read once, by the index of flagged items, with the highest item id then
///   in the project: items are numbered in import order, so an item above it was imported since
///   (here or on another node) and the map is read again; an item at or below it that is not in the
///   map is not flagged (imports never change an item's categories).
/// - An import on this node forgets the map at once.
public sealed class FlaggedItems(DatabaseSettings database) : IProjectChangeListener
{
    sealed record Map(Dictionary<long, string[]> Flagged, long HighestItem);

    readonly ConcurrentDictionary<int, Lazy<Task<Map>>> _maps = new();

    public async Task<string[]> CategoriesOfAsync(int projectId, long itemId)
    {
        var map = await MapAsync(projectId);
        if (itemId > map.HighestItem)
        {
            Forget(projectId, map);
            map = await MapAsync(projectId);
        }
        return map.Flagged.TryGetValue(itemId, out var categories) ? categories : [];
    }

    public void Changed(ProjectChange change)
    {
        if (change.OpenSlotsChanged) _maps.TryRemove(change.ProjectId, out _);
    }

    Task<Map> MapAsync(int projectId) =>
        _maps.GetOrAdd(projectId, id => new Lazy<Task<Map>>(() => LoadAsync(id))).Value;

    void Forget(int projectId, Map stale)
    {
        if (_maps.TryGetValue(projectId, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully &&
            lazy.Value.Result == stale)
            _maps.TryRemove(new(projectId, lazy));
    }

    async Task<Map> LoadAsync(int projectId)
    {
        await using var connection = await database.OpenAsync();
        // The highest id first: an item imported between the two reads is then read again later, never missed.
        var highest = await connection.ScalarAsync<long?>(null, "SELECT max(id) FROM items WHERE project_id = @p", ("p", projectId)) ?? 0;
        var flagged = new Dictionary<long, string[]>();
        await using var command = connection.Command(
            "SELECT id, sensitivity FROM items WHERE project_id = @p AND sensitivity <> '' AND id <= @h")
            .With("p", projectId).With("h", highest);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            flagged[reader.GetInt64(0)] = reader.GetString(1).Split(';', StringSplitOptions.RemoveEmptyEntries);
        return new Map(flagged, highest);
    }
}
