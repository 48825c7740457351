using Fairlabel.Work;

namespace Fairlabel.Tests.Wellbeing;

/// A node's pool drops a withdrawn (reported) item for good, whatever slots come back later.
public sealed class WithdrawnItemTests
{
    [Fact]
    public void A_withdrawn_item_is_not_handed_out_again_when_its_slots_come_back()
    {
        long[] ids = [1, 2];
        var pool = new TaskPool(ids, [2, 2], new int[]?[2], DateTimeOffset.UnixEpoch);
        pool.Hold(block: 0, generation: 0, ids.Select(id => (id, 0, "{}")).ToList(),
            Array.Empty<(long Item, int Tasker)>().ToLookup(h => h.Item, h => h.Tasker), overlap: 2, now: 0);
        Assert.Equal(1, pool.ReserveHeld(taskerId: 1, now: 0)?.ItemId);

        pool.Withdraw(1);
        pool.Released(1);            // the reporter's lease ends
        pool.Undo(1, taskerId: 1);   // or its write failed
        pool.Refused(1, slotGone: true);
        pool.Released(1);

        Assert.Equal(2, pool.ReserveHeld(taskerId: 2, now: 0)?.ItemId);
        Assert.Equal(2, pool.ReserveHeld(taskerId: 3, now: 0)?.ItemId);
        Assert.Null(pool.ReserveHeld(taskerId: 4, now: 0));
        Assert.Equal(0, pool.CountOpenFor(taskerId: 4, max: 10));
        Assert.Equal(0, pool.HeldFreeSlots);
    }
}
