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
        for (var waited = 0; await server.ScalarAsync($"SELECT count(*) FROM assignments WHERE id = {AssignmentOf(task)}") == 0; waited += 10)
        {
            Assert.True(waited < 5000, $"the lease {AssignmentOf(task)} was not written within 5 s");
            await Task.Delay(10);
        }
        return task;
    }
}
