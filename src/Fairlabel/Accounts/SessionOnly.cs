using Fairlabel.Infrastructure;

namespace Fairlabel.Accounts;

public static class SessionOnly
{
    /// Refuses requests made with an API token: what grants access (tokens, memberships) is given
    /// only by a person signed in, so that a leaked token cannot let anyone else in.
    public static TBuilder RequireSession<TBuilder>(this TBuilder builder, string what) where TBuilder : IEndpointConventionBuilder =>
        builder.AddBeforeBodyCheck((context, next) => context.HttpContext.User.ViaApiToken()
            ? ValueTask.FromResult<object?>(Problems.Forbidden(
                $"{what} needs a signed-in session; a request made with an API token cannot do it."))
            : next(context));
}
