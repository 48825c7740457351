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
    public const string SendJson = "Send the body as JSON, with the header Content-Type: application/json.";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancel)
    {
        var (status, title, detail, errors) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } =>
                (400, "The request body is not valid", "The body " + JsonErrors.Describe(json) + ".", FieldOf(json)),
            BadHttpRequestException { StatusCode: 415 } =>
                (415, "Unsupported media type", SendJson, null),
            BadHttpRequestException bad => (bad.StatusCode, "The request is not valid", PlainWords(bad), null),
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

    static Dictionary<string, string[]>? FieldOf(JsonException json) =>
        JsonErrors.IsMalformed(json) || JsonErrors.Field(json) is not { } field
            ? null
            : new Dictionary<string, string[]> { [field] = ["has the wrong type or format"] };

    /// The framework's messages for a request it could not bind name its parameters ("Implicit
    /// body inferred for parameter \"body\"…"); the user is told what to send instead.
    static string PlainWords(BadHttpRequestException bad) =>
        bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) ? "The request needs a JSON body."
        : bad.StatusCode == 413 ? "The request is too large."
        : "A value in the address or the headers is missing or has the wrong format.";
}
