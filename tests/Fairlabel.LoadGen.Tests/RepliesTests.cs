using System.Text;
using Fairlabel.LoadGen;

namespace Fairlabel.LoadGen.Tests;

/// The simulated taskers read only a few fields of the server's replies; reading the wrong one
/// would submit another task's id (the receipt's) or stop a tasker.
public sealed class RepliesTests
{
    static ReadOnlySpan<byte> Json(string text) => Encoding.UTF8.GetBytes(text);

    // The receipt last: a reader that kept the last assignmentId it met would take the receipt's.
    [Fact]
    public void The_next_task_is_read_from_next_not_from_the_receipt_or_the_items_data()
    {
        var reply = Json("""
            {"next":{"assignmentId":42,"projectId":1,"itemId":7,"data":{"assignmentId":999,"text":"x"}},
             "nextState":"leased",
             "submitted":{"answerId":9,"assignmentId":41,"duplicate":false}}
            """);
        Assert.Equal((42L, "leased"), Replies.NextOf(reply));
    }

    [Fact]
    public void A_reply_without_a_next_task_says_why()
    {
        var reply = Json("""{"submitted":{"answerId":9,"assignmentId":41,"duplicate":true},"next":null,"nextState":"none-left"}""");
        Assert.Equal((0L, "none-left"), Replies.NextOf(reply));
    }

    [Fact]
    public void A_task_and_a_list_of_live_tasks_give_their_assignment_ids()
    {
        Assert.Equal(5, Replies.AssignmentId(Json("""{"data":{"assignmentId":1},"assignmentId":5}""")));
        Assert.Equal([5L, 6L], Replies.AllAssignmentIds(Json("""[{"assignmentId":5,"data":{}},{"assignmentId":6,"data":{"assignmentId":1}}]""")));
    }
}
