namespace Fairlabel.Infrastructure;

/// The browser UI: static files built from web/ into wwwroot, with index.html for every
/// path not for programs (MachinePaths), so the client-side router can take over.
public static class WebUi
{
    /// The UI never runs inline scripts, so a strict policy costs nothing and blocks injected ones.
    /// Images may come from anywhere: item images are URLs in the requester's data.
    const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' https: http: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
        "connect-src 'self'; frame-ancestors 'none'";

    /// Paths for programs, not pages: an unknown one is a 404 problem, not the UI's index.html.
    static readonly string[] MachinePaths = ["/api", "/health", "/metrics", "/openapi"];

    public static void MapWebUi(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = c =>
            {
                // Vite names assets by content hash: cache them for a year; never cache index.html.
                c.Context.Response.Headers.CacheControl = c.File.Name.EndsWith(".html")
                    ? "no-cache"
                    : "public, max-age=31536000, immutable";
                c.Context.Response.Headers.XContentTypeOptions = "nosniff";
                if (c.File.Name.EndsWith(".html")) c.Context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            },
        });
        app.MapFallback(async context =>
        {
            if (MachinePaths.Any(p => context.Request.Path.StartsWithSegments(p)))
            {
                await NotServedAsync(context);
                return;
            }
            var index = Path.Combine(app.Environment.WebRootPath ?? "wwwroot", "index.html");
            if (!File.Exists(index))
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("The web UI is not built: run `npm run build` in web/.");
                return;
            }
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            await context.Response.SendFileAsync(index);
        });
    }

    /// Routing ends here also when an endpoint exists but reads JSON and the body is of another
    /// type (the fallback is then the only candidate left): that is a 415, anything else a 404.
    static Task NotServedAsync(HttpContext context)
    {
        var body = context.Request.ContentType is { Length: > 0 } && !HttpMethods.IsGet(context.Request.Method);
        var json = context.Request.HasJsonContentType() || context.Request.HasFormContentType;
        return (body && !json
                ? Results.Problem(title: "Unsupported media type", detail: ProblemExceptionHandler.SendJson, statusCode: 415)
                : Results.Problem(title: "No such endpoint", detail: $"Nothing is served at {context.Request.Path}.", statusCode: 404))
            .ExecuteAsync(context);
    }
}
