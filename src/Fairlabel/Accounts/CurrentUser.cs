using System.Security.Claims;

namespace Fairlabel.Accounts;

/// The signed-in user as the claims carry it; set at login or from an API token.
public static class CurrentUser
{
    public const string OrganisationClaim = "fairlabel:org";
    public const string ViaTokenClaim = "fairlabel:token";

    public static int Id(this ClaimsPrincipal user) => int.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
    public static string Role(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role)!;
    public static int? OrganisationId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(OrganisationClaim), out var id) ? id : null;
    public static bool ViaApiToken(this ClaimsPrincipal user) => user.HasClaim(c => c.Type == ViaTokenClaim);

    public static ClaimsPrincipal Principal(User user, string scheme, bool viaToken = false)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.Email),
            new(ClaimTypes.Role, user.Role),
        };
        if (user.OrganisationId is { } org) claims.Add(new Claim(OrganisationClaim, org.ToString()));
        if (viaToken) claims.Add(new Claim(ViaTokenClaim, "1"));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
