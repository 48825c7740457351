using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Fairlabel.Accounts;
using Fairlabel.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Fairlabel.Tests.Accounts;

public sealed class ApiTokenCacheTests
{
    sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now = DateTimeOffset.UnixEpoch;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    const string Token = "fl_0123456789abcdef0123456789abcdef0123456789abcdef";

    static ClaimsPrincipal Tasker(int id = 7) =>
        CurrentUser.Principal(new User { Id = id, Email = "t@example.org", DisplayName = "T", Role = Roles.Tasker }, ApiTokenAuthentication.SchemeName, viaToken: true);

    [Fact]
    public void The_hash_is_the_one_stored_for_tokens_issued_before()
    {
        // Tokens in the database were stored as the hex of SHA-256 over their UTF-8 bytes.
        foreach (var token in new[] { Token, "", "fl_ünïcødé", new string('x', 2000) })
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), ApiTokenAuthentication.Hash(token));
    }

    [Fact]
    public void A_remembered_token_is_found_in_a_bearer_header_until_its_lifetime_ends_or_it_is_forgotten()
    {
        var clock = new Clock();
        var cache = new ApiTokenCache(clock);
        var remembered = cache.Remember(ApiTokenAuthentication.Hash(Token), tokenId: 3, Tasker());

        foreach (var header in new[] { $"Bearer {Token}", $"bearer {Token}", $"BEARER  {Token} " })
            Assert.Same(remembered, cache.Find(new StringValues(header)));
        foreach (var header in new[] { $"Basic {Token}", $"Bearer {Token}0", $"Bearer{Token}", "" })
            Assert.Null(cache.Find(new StringValues(header)));
        Assert.Null(cache.Find(new StringValues([$"Bearer {Token}", $"Bearer {Token}"])));

        clock.Now += ApiTokenCache.ShortestLifetime - TimeSpan.FromMilliseconds(1);
        Assert.Same(remembered, cache.Find(new StringValues($"Bearer {Token}")));
        clock.Now += ApiTokenCache.Lifetime - ApiTokenCache.ShortestLifetime + TimeSpan.FromMilliseconds(1);
        Assert.Null(cache.Find(new StringValues($"Bearer {Token}")));

        cache.Remember(ApiTokenAuthentication.Hash(Token), tokenId: 3, Tasker());
        cache.Forget(3);
        Assert.Null(cache.Find(new StringValues($"Bearer {Token}")));
    }

    [Fact]
    public async Task A_token_is_never_remembered_past_its_expiry_and_its_grant_is_kept_with_it()
    {
        var clock = new Clock();
        var cache = new ApiTokenCache(clock);
        var grant = ApiTokenGrant.Of(readOnly: true, [4], expiresAt: clock.Now + TimeSpan.FromSeconds(5));
        var remembered = cache.Remember(ApiTokenAuthentication.Hash(Token), tokenId: 3, Tasker(), grant);
        Assert.Same(grant, ApiTokenRules.GrantOf(await remembered));

        clock.Now += TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1);
        Assert.Same(remembered, cache.Find(new StringValues($"Bearer {Token}")));
        clock.Now += TimeSpan.FromMilliseconds(1);             // well inside the cache's lifetime, but expired
        Assert.Null(cache.Find(new StringValues($"Bearer {Token}")));

        // Looked up again (as the database would not allow after expiry), it is still not kept past it.
        Assert.Same(remembered, cache.Remember(ApiTokenAuthentication.Hash(Token), tokenId: 3, Tasker(), grant));
        Assert.Null(cache.Find(new StringValues($"Bearer {Token}")));
    }

    [Fact]
    public void Tokens_looked_up_together_are_looked_up_again_at_different_moments()
    {
        // A thousand taskers who start together must not send a thousand lookups together every
        // half minute: each lookup is kept for its own span between the shortest and the longest.
        var clock = new Clock();
        var cache = new ApiTokenCache(clock);
        var tokens = Enumerable.Range(0, 1000).Select(i => $"{Token}{i}").ToList();
        foreach (var (token, i) in tokens.Select((t, i) => (t, i)))
            cache.Remember(ApiTokenAuthentication.Hash(token), tokenId: i, Tasker());
        int Known() => tokens.Count(t => cache.Find(new StringValues($"Bearer {t}")) is not null);

        clock.Now += ApiTokenCache.ShortestLifetime - TimeSpan.FromMilliseconds(1);
        Assert.Equal(1000, Known());
        clock.Now += (ApiTokenCache.Lifetime - ApiTokenCache.ShortestLifetime) / 2;
        Assert.InRange(Known(), 300, 700);                     // about half, drawn uniformly
        clock.Now += (ApiTokenCache.Lifetime - ApiTokenCache.ShortestLifetime) / 2 + TimeSpan.FromMilliseconds(1);
        Assert.Equal(0, Known());
    }

    [Fact]
    public async Task A_token_looked_up_again_keeps_its_result_while_its_user_reads_the_same()
    {
        var clock = new Clock();
        var cache = new ApiTokenCache(clock);
        var hash = ApiTokenAuthentication.Hash(Token);
        var first = cache.Remember(hash, tokenId: 3, Tasker());

        clock.Now += ApiTokenCache.Lifetime - TimeSpan.FromSeconds(1);
        Assert.Same(first, cache.Remember(hash, tokenId: 3, Tasker()));
        clock.Now += TimeSpan.FromSeconds(2);                  // past the first span, inside the renewed one
        Assert.Same(first, cache.Find(new StringValues($"Bearer {Token}")));

        var asRequester = CurrentUser.Principal(
            new User { Id = 7, Email = "t@example.org", DisplayName = "T", Role = Roles.Requester }, ApiTokenAuthentication.SchemeName, viaToken: true);
        var changed = cache.Remember(hash, tokenId: 3, asRequester);
        Assert.NotSame(first, changed);
        Assert.Same(changed, cache.Find(new StringValues($"Bearer {Token}")));
        Assert.True((await changed).Principal!.IsInRole(Roles.Requester));
    }

    [Fact]
    public void The_remembered_principal_answers_as_its_claims_do()
    {
        var principal = Tasker(id: 42);
        Assert.Equal(42, principal.Id());
        Assert.Equal("42", principal.IdText());
        Assert.True(principal.ViaApiToken());
        Assert.True(principal.IsInRole(Roles.Tasker));
        Assert.False(principal.IsInRole(Roles.Requester));
        Assert.False(principal.IsInRole(Roles.Tasker.ToUpperInvariant()));

        // As a session cookie gives it back: a plain principal with the same claims.
        var plain = new ClaimsPrincipal(new ClaimsIdentity(principal.Claims, "Cookies"));
        Assert.Equal((principal.Id(), principal.IdText(), principal.ViaApiToken()), (plain.Id(), plain.IdText(), plain.ViaApiToken()));
        Assert.Equal(principal.IsInRole(Roles.Tasker), plain.IsInRole(Roles.Tasker));
    }

    sealed class AddsAClaim : IClaimsTransformation
    {
        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            var copy = principal.Clone();
            ((ClaimsIdentity)copy.Identity!).AddClaim(new Claim("transformed", "yes"));
            return Task.FromResult(copy);
        }
    }

    /// In the token scheme's place, without a database: every request is a tasker's.
    sealed class SignsInATasker(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(Tasker(), Scheme.Name)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_known_token_skips_the_frameworks_handlers_unless_a_claims_transformation_must_run(bool transformation)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddSingleton<ApiTokenCache>();
        services.AddAuthentication(AuthenticationSetup.CookieOrToken)
            .AddPolicyScheme(AuthenticationSetup.CookieOrToken, null, o => o.ForwardDefault = ApiTokenAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, SignsInATasker>(ApiTokenAuthentication.SchemeName, null);
        if (transformation) services.AddSingleton<IClaimsTransformation, AddsAClaim>();
        TokenFirstAuthenticationService.Register(services);
        await using var provider = services.BuildServiceProvider();
        var remembered = await provider.GetRequiredService<ApiTokenCache>().Remember(ApiTokenAuthentication.Hash(Token), 1, Tasker());

        await using var scope = provider.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = $"Bearer {Token}";
        var result = await context.AuthenticateAsync();

        Assert.True(result.Succeeded);
        if (transformation)
        {
            // The framework's way: through the scheme's handler, then the transformation.
            Assert.NotSame(remembered, result);
            Assert.True(result.Principal!.HasClaim("transformed", "yes"));
        }
        else Assert.Same(remembered, result);
    }
}
