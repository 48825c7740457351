using System.Text.Json;
using Fairlabel.Data;

namespace Fairlabel.Events;

public static class EventLog
{
    /// Adds the event to the context so it commits together with the change it records.
    public static void Record(this FairlabelDb db, string kind, int? actorId, int? organisationId = null,
        int? projectId = null, object? data = null) =>
        db.Events.Add(new RecordedEvent
        {
            At = DateTimeOffset.UtcNow,
            Kind = kind,
            ActorId = actorId,
            OrganisationId = organisationId,
            ProjectId = projectId,
            Data = data is null ? "{}" : JsonSerializer.Serialize(data, JsonSerializerOptions.Web),
        });
}
