using Fairlabel.Data;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Fairlabel.Tests.Infrastructure;

/// The tasker's side of the work loop, as the task page asks for tasks.
public static class Tasks
{
    public static long AssignmentOf(JsonElement task) => task.GetProperty("assignmentId").GetInt64();

    /// The next task, or null for "none left". With <paramref name="askAgainWhenBusy"/>, a 503
    /// ("ask again in a moment") is asked again, as the task page does.
    public static async Task<JsonElement?> NextAsync(Api tasker, int projectId, bool askAgainWhenBusy = false)
    {
        while (true)
        {
            var response = await tasker.PostAsync($"/api/work/projects/{projectId}/tasks/next");
            if (response.StatusCode == HttpStatusCode.NoContent) return null;
            if (askAgainWhenBusy && response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                await Task.Delay(20);
                continue;
            }
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }
    }

    /// Waits until the task's lease is in the database. On PostgreSQL a node hands out a task a few
    /// milliseconds before its lease is written (decision 0007); a test that changes the lease's row
    /// directly must not run before it exists.
    public static async Task<JsonElement> WrittenAsync(this FairlabelServer server, JsonElement task)
    {
        await server.Database.UntilAsync($"SELECT count(*) FROM assignments WHERE id = {AssignmentOf(task)}", 1);
        return task;
    }

    /// Lets the leases chosen by <paramref name="where"/> run out, as if their time had passed, and
    /// waits until a sweep has returned them to the pool. Their expiry is set just after the
    /// sweep's mark, not further back: each round reads only the expiries after the mark
    /// (WorkLoop.ExpireLeasesAsync), so an expiry moved behind it would never be read. The mark's
    /// row is locked meanwhile (on SQLite the statement is the lock), so no sweep moves it in between.
    public static async Task RunOutAsync(this DatabaseSettings database, string where)
    {
        var mark = "SELECT through FROM duty_marks WHERE duty = 'lease-expiry'" + (database.IsSqlite ? "" : " FOR UPDATE");
        var leases = await database.ScalarAsync($"SELECT count(*) FROM assignments WHERE {where}");
        await database.ExecuteAsync($"UPDATE assignments SET expires_at = m.through + 1 FROM ({mark}) m WHERE {where}");
        await database.UntilAsync($"SELECT count(*) FROM assignments WHERE status = 'expired' AND {where}", leases);
    }

    public static Task RunOutAsync(this FairlabelServer server, string where) => server.Database.RunOutAsync(where);
}
