using System.Text.Json;

namespace Fairlabel.LoadGen;

/// The few fields the simulated taskers read from the server's replies, read without building a
/// document: only `assignmentId`s and `nextState`.
static class Replies
{
    static readonly byte[] AssignmentIdName = "assignmentId"u8.ToArray();
    static readonly byte[] NextName = "next"u8.ToArray(), NextStateName = "nextState"u8.ToArray();

    /// From a submit-and-next reply: the next task's assignment id (0 when none) and `nextState`.
    internal static (long AssignmentId, string? State) NextOf(ReadOnlySpan<byte> json)
    {
        long id = 0;
        string? state = null;
        var inNext = false;
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName) continue;
            if (reader.CurrentDepth == 1)
            {
                inNext = reader.ValueTextEquals(NextName);
                if (reader.ValueTextEquals(NextStateName))
                {
                    reader.Read();
                    state = reader.GetString();
                }
            }
            else if (inNext && reader.CurrentDepth == 2 && reader.ValueTextEquals(AssignmentIdName))
            {
                reader.Read();
                id = reader.GetInt64();
            }
        }
        return (id, state);
    }

    internal static long AssignmentId(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 &&
                reader.ValueTextEquals(AssignmentIdName))
            {
                reader.Read();
                return reader.GetInt64();
            }
        throw new InvalidOperationException("no assignmentId in the task");
    }

    internal static List<long> AllAssignmentIds(ReadOnlySpan<byte> json)
    {
        var ids = new List<long>(2);
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 2 &&
                reader.ValueTextEquals(AssignmentIdName))
            {
                reader.Read();
                ids.Add(reader.GetInt64());
            }
        return ids;
    }
}
