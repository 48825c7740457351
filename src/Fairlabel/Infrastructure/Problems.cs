using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fairlabel.Infrastructure;

/// RFC 9457 problem details for every error the API returns.
public static class Problems
{
    public static ProblemHttpResult BadRequest(string title, string? detail = null) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: 400);

    public static ValidationProblem Invalid(string title, FieldErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: title);

    public static ValidationProblem Invalid(string title, string path, string message)
    {
        var errors = new FieldErrors();
        errors.Add(path, message);
        return Invalid(title, errors);
    }

    public static ProblemHttpResult Conflict(string title, string? detail = null) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: 409);

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(title: $"{what} not found", statusCode: 404);

    /// 503 with Retry-After: the request may well succeed if repeated shortly.
    public static ProblemHttpResult TryAgain(HttpContext http, string title, string detail)
    {
        http.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(title: title, detail: detail, statusCode: 503);
    }

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(title: "Not allowed", detail: detail, statusCode: 403);
}

/// Turns the exceptions that escape handlers into problem details: unreadable bodies name the
/// field, a lost database is a 503 the client may retry, anything else a 500 without internals.
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancel)
    {
        var (status, title, detail, errors) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } =>
                (400, "The request body is not valid", json.Message, FieldOf(json)),
            BadHttpRequestException bad => (bad.StatusCode, "The request is not valid", bad.Message, null),
            Work.DatabaseUnavailableException or TimeoutException =>
                (503, "The database is unavailable", "Try again in a moment; nothing was lost.", null),
            DbException db when db.IsTransient || IsConnectionFailure(db) =>
                (503, "The database is unavailable", "Try again in a moment; nothing was lost.", null),
            _ => (500, "Something went wrong on the server", (string?)null, (Dictionary<string, string[]>?)null),
        };
        if (status >= 500) log.RequestFailed(exception, status);
        if (status == 503) context.Response.Headers.RetryAfter = "2";
        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is not null) problem.Extensions["errors"] = errors;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context, ProblemDetails = problem, Exception = exception,
        });
    }

    static bool IsConnectionFailure(DbException e) =>
        e.GetType().Name == "NpgsqlException" && e.InnerException is System.Net.Sockets.SocketException or IOException;

    static Dictionary<string, string[]>? FieldOf(JsonException json)
    {
        if (string.IsNullOrEmpty(json.Path) || json.Path == "$") return null;
        var path = json.Path.StartsWith("$.") ? json.Path[2..] : json.Path;
        return new Dictionary<string, string[]> { [path] = ["has the wrong type or format"] };
    }
}
