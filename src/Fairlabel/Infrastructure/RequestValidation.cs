using Microsoft.AspNetCore.Http.HttpResults;

namespace Fairlabel.Infrastructure;

/// A request body that states its own rules: what can be judged from the body alone (required,
/// in range, well formed). Rules that need the database stay in the handler and report through
/// the same problem (<see cref="Problems.Invalid(string, FieldErrors)"/>). Decision 0020.
public interface IValidatedBody
{
    /// The refused body's problem title ("The project is not valid").
    string InvalidTitle { get; }

    /// Adds a message per offending field, under the field's name in the JSON (`payPerTask`,
    /// `languages[1]`). Messages say what is expected and never repeat the value sent.
    void Validate(FieldErrors errors, IServiceProvider services);
}

public static class RequestValidation
{
    static readonly Func<EndpointFilterFactoryContext, EndpointFilterDelegate, EndpointFilterDelegate> Check = Filter;

    /// Checks the body of every endpoint of the group before its handler runs: a body that breaks
    /// a rule is answered 400 with a message per field, and the handler, so nothing changes, never
    /// runs. Filters added before it (antiforgery) run first; see <see cref="AddBeforeBodyCheck"/>.
    public static TBuilder ValidateBodies<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint => endpoint.FilterFactories.Add(Check));
        return builder;
    }

    /// Adds a filter that refuses who is asking, to run before the body is judged even when the
    /// group's body check was added first: a request that may not be made is told so, not that
    /// its body is wrong.
    public static TBuilder AddBeforeBodyCheck<TBuilder>(this TBuilder builder,
        Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> filter)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var check = endpoint.FilterFactories.IndexOf(Check);
            endpoint.FilterFactories.Insert(check < 0 ? endpoint.FilterFactories.Count : check,
                (_, next) => invocation => filter(invocation, next));
        });
        return builder;
    }

    /// The body's problem if it breaks a rule, or null.
    public static ValidationProblem? Refusal(IValidatedBody body, IServiceProvider services)
    {
        var errors = new FieldErrors();
        body.Validate(errors, services);
        return errors.Any ? Problems.Invalid(body.InvalidTitle, errors) : null;
    }

    /// Endpoints without a validated body keep their request delegate as it is.
    static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var bodies = context.MethodInfo.GetParameters()
            .Where(p => typeof(IValidatedBody).IsAssignableFrom(p.ParameterType))
            .Select(p => p.Position).ToArray();
        if (bodies.Length == 0) return next;
        return invocation =>
        {
            foreach (var i in bodies)
                if (invocation.GetArgument<IValidatedBody?>(i) is { } body &&
                    Refusal(body, invocation.HttpContext.RequestServices) is { } refused)
                    return ValueTask.FromResult<object?>(refused);
            return next(invocation);
        };
    }
}
