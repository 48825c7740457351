using System.Globalization;
using System.Security.Claims;

namespace Fairlabel.Accounts;

/// The signed-in user as the claims carry it; set at login or from an API token.
public static class CurrentUser
{
    public const string OrganisationClaim = "fairlabel:org";
    public const string ViaTokenClaim = "fairlabel:token";

    public static int Id(this ClaimsPrincipal user) =>
        user is SignedInUser signedIn ? signedIn.UserId : int.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
    /// The id as text (a rate limit's partition), null when nobody is signed in.
    public static string? IdText(this ClaimsPrincipal user) =>
        user is SignedInUser signedIn ? signedIn.UserIdText : user.FindFirstValue(ClaimTypes.NameIdentifier);
    public static string Role(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role)!;
    public static int? OrganisationId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(OrganisationClaim), out var id) ? id : null;
    public static bool ViaApiToken(this ClaimsPrincipal user) =>
        user is SignedInUser signedIn ? signedIn.ViaToken : user.HasClaim(c => c.Type == ViaTokenClaim);

    public static ClaimsPrincipal Principal(User user, string scheme, bool viaToken = false)
    {
        var id = user.Id.ToString(CultureInfo.InvariantCulture);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, id),
            new(ClaimTypes.Name, user.Email),
            new(ClaimTypes.Role, user.Role),
        };
        if (user.OrganisationId is { } org) claims.Add(new Claim(OrganisationClaim, org.ToString()));
        if (viaToken) claims.Add(new Claim(ViaTokenClaim, "1"));
        return new SignedInUser(new ClaimsIdentity(claims, scheme), user.Id, id, user.Role, viaToken);
    }

    /// The principal made here, with the facts every work-loop request asks for read once: an API
    /// token's principal is kept for many requests (<see cref="ApiTokenCache"/>), and looking a
    /// claim up walks the claims with enumerators that each allocate. The claims say the same;
    /// a principal read back from a session cookie is a plain one, and the lookups above read its claims.
    sealed class SignedInUser(ClaimsIdentity identity, int userId, string userIdText, string roleClaim, bool viaToken)
        : ClaimsPrincipal(identity)
    {
        public int UserId => userId;
        public string UserIdText => userIdText;
        public bool ViaToken => viaToken;

        public override bool IsInRole(string role) => string.Equals(role, roleClaim, StringComparison.Ordinal) || base.IsInRole(role);
    }
}
