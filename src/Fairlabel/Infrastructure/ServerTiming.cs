using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Fairlabel.Infrastructure;

/// Every response to a signed-in user says how long the server spent on it, in the
/// `Server-Timing` header that browsers' developer tools show beside each request (milliseconds):
/// - `app`: from the start of the pipeline to the response's headers;
/// - `db`: the part of that spent waiting for the work loop's database writes (queued for a
///   group, the round trip, the commit), present when the request wrote.
/// What a client measures beyond `app` was spent between the processes or waiting to be read;
/// the work-loop benchmark reports all three to tell a slow database from a busy machine.
/// Not for anonymous requests: a precise timing of sign-in or sign-up would help whoever probes
/// them for which email addresses have accounts.
public static class ServerTiming
{
    static readonly AsyncLocal<StrongBox<long>?> DatabaseWait = new();

    /// The current request's `db` total, to add to later from another thread; null outside a request.
    public static StrongBox<long>? DatabaseWaitOfThisRequest => DatabaseWait.Value;

    /// Writes queued from here on in the calling async method count for no request: for work a
    /// request starts and does not wait for. Set in an async method, it ends with that method.
    public static void NotForThisRequest() => DatabaseWait.Value = null;

    /// Adds the time since <paramref name="startedAt"/> (a <see cref="Stopwatch"/> timestamp) to a
    /// request's `db` total; for no request (null) it does nothing.
    public static void AddDatabaseWait(StrongBox<long>? total, long startedAt)
    {
        if (total is not null) Interlocked.Add(ref total.Value, Stopwatch.GetTimestamp() - startedAt);
    }

    // Async so that the request's figure is set in its own execution context, and the caller's
    // is back as it was when the request ends.
    public static void UseServerTiming(this WebApplication app) => app.Use(async (context, next) =>
    {
        var databaseWait = DatabaseWait.Value = new StrongBox<long>();
        context.Response.OnStarting(static state =>
        {
            var (response, startedAt, databaseWait) = ((HttpResponse, long, StrongBox<long>))state;
            if (response.HttpContext.User.Identity?.IsAuthenticated != true) return Task.CompletedTask;
            var app = Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds;
            var db = Volatile.Read(ref databaseWait.Value);
            response.Headers["Server-Timing"] = db == 0
                ? string.Create(CultureInfo.InvariantCulture, $"app;dur={app:0.###}")
                : string.Create(CultureInfo.InvariantCulture, $"app;dur={app:0.###}, db;dur={Stopwatch.GetElapsedTime(0, db).TotalMilliseconds:0.###}");
            return Task.CompletedTask;
        }, (context.Response, Stopwatch.GetTimestamp(), databaseWait));
        await next(context);
    });
}
