using Fairlabel.Work;

namespace Fairlabel.Tests.Work;

/// The node's in-memory pool on its own, holding the block of its items.
public sealed class TaskPoolTests
{
    sealed class Pool(int items, int overlap)
    {
        readonly TaskPool _pool = Held(items, overlap);

        static TaskPool Held(int items, int overlap)
        {
            var ids = Enumerable.Range(1, items).Select(i => (long)i).ToArray();
            var pool = new TaskPool(ids, Enumerable.Repeat(overlap, items).ToArray(), new int[]?[items], DateTimeOffset.UnixEpoch);
            pool.Hold(block: 0, generation: 0, ids.Select(id => (id, 0, "{}")).ToList(),
                Array.Empty<(long Item, int Tasker)>().ToLookup(h => h.Item, h => h.Tasker), overlap, now: 0);
            return pool;
        }

        /// The item handed out to the tasker, or -1.
        public long Reserve(int taskerId) => _pool.ReserveHeld(taskerId, now: 0)?.ItemId ?? -1;
        public void Released(long itemId) => _pool.Released(itemId);
        public void Undo(long itemId, int taskerId) => _pool.Undo(itemId, taskerId);
        public int CountOpenFor(int taskerId, int max) => _pool.CountOpenFor(taskerId, max);
    }

    [Fact]
    public void An_item_is_offered_to_as_many_taskers_as_its_overlap_and_never_twice_to_one()
    {
        var pool = new Pool(items: 1, overlap: 9);
        // More taskers than a list's first room (4), so the list grows while earlier taskers stay in it.
        for (var tasker = 1; tasker <= 9; tasker++) Assert.Equal(1, pool.Reserve(tasker));
        Assert.Equal(-1, pool.Reserve(10));
        pool.Released(1);
        for (var tasker = 1; tasker <= 9; tasker++) Assert.Equal(-1, pool.Reserve(tasker));
        Assert.Equal(1, pool.Reserve(10));
    }

    [Fact]
    public void An_undone_reservation_forgets_the_tasker_and_keeps_the_others()
    {
        var pool = new Pool(items: 2, overlap: 6);
        for (var tasker = 1; tasker <= 5; tasker++) Assert.Equal(1, pool.Reserve(tasker));
        pool.Undo(1, taskerId: 3);
        pool.Undo(1, taskerId: 1);
        Assert.Equal(1, pool.CountOpenFor(2, max: 10));        // tasker 2 still had item 1: only item 2 is open to them
        Assert.Equal(1, pool.Reserve(3));
        Assert.Equal(1, pool.Reserve(1));
        // Taskers after the undone ones in item 1's list are still known to have had it.
        Assert.Equal(2, pool.Reserve(5));
        Assert.Equal(2, pool.Reserve(4));
        pool.Undo(2, taskerId: 5);
        pool.Undo(2, taskerId: 4);
        Assert.Equal(2, pool.Reserve(4));                       // item 2's list was emptied, then written again
    }
}
