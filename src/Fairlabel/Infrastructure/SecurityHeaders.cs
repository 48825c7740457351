namespace Fairlabel.Infrastructure;

/// The headers every response carries (docs/security.md, "Headers"). Set when the response
/// starts, so that error replies written by the exception handler (which clears the headers) carry them too.
public static class SecurityHeaders
{
    /// No page address goes to another site: the task page shows images from the requesters' URLs.
    const string ReferrerPolicy = "no-referrer";
    /// API data is never rendered as a page, nor framed.
    const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";
    /// The API reference page runs its own bundled script and styles, and is never framed.
    public const string ReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    public const string ReferencePath = "/api/reference";

    public static void UseSecurityHeaders(this WebApplication app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(Write, context);
            return next(context);
        });

    static Task Write(object state)
    {
        var http = (HttpContext)state;
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = ReferrerPolicy;
        if (http.Request.Path.StartsWithSegments(ReferencePath)) headers.ContentSecurityPolicy = ReferencePolicy;
        else if (http.Request.Path.StartsWithSegments("/api"))
        {
            // Gold answers, exports, people's details: nothing of it is kept by a browser or a proxy.
            headers.CacheControl = "no-store";
            headers.ContentSecurityPolicy = ApiPolicy;
        }
        return Task.CompletedTask;
    }
}
