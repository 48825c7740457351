using System.Net;
using Fairlabel.Accounts;
using Microsoft.AspNetCore.HttpOverrides;

namespace Fairlabel.Infrastructure;

/// `X-Forwarded-For` and `X-Forwarded-Proto`, honoured only from the proxies listed in
/// `Http:TrustedProxies` (addresses or networks such as `10.0.0.0/8`): the client address the
/// rate limits count by, and whether the request was HTTPS (cookies are then Secure). From any
/// other peer, or with none listed, the headers are ignored.
public static class TrustedProxies
{
    public const string Setting = "Http:TrustedProxies";

    public static void AddTrustedProxies(this WebApplicationBuilder builder)
    {
        var entries = builder.Configuration.GetSection(Setting).Get<string[]>() ?? [];
        var (addresses, networks, wrong) = Parse(entries);
        if (wrong.Count > 0)
        {
            builder.Services.AddSingleton(new ConfigurationProblem(
                $"{Setting}: not an address or network (such as 10.0.0.0/8): {string.Join(", ", wrong)}"));
            return;
        }
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; only what is listed is trusted here.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var address in addresses) o.KnownProxies.Add(address);
            foreach (var network in networks) o.KnownIPNetworks.Add(network);
            // Every hop is checked against the list, so a chain of listed proxies may be walked back.
            o.ForwardLimit = null;
        });
    }

    public static void UseTrustedProxies(this WebApplication app)
    {
        if ((app.Configuration.GetSection(Setting).Get<string[]>() ?? []).Length > 0) app.UseForwardedHeaders();
    }

    /// The listed proxies, as single addresses and networks, and the entries that are neither.
    public static (List<IPAddress> Addresses, List<System.Net.IPNetwork> Networks, List<string> Wrong) Parse(IEnumerable<string> entries)
    {
        var (addresses, networks, wrong) = (new List<IPAddress>(), new List<System.Net.IPNetwork>(), new List<string>());
        foreach (var entry in entries.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (entry.Contains('/') && System.Net.IPNetwork.TryParse(entry, out var network)) networks.Add(network);
            else if (IPAddress.TryParse(entry, out var address)) addresses.Add(address);
            else wrong.Add(entry);
        }
        return (addresses, networks, wrong);
    }
}
