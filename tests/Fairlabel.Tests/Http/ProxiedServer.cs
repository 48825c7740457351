using System.Net;
using Fairlabel.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Fairlabel.Tests.Http;

/// A server whose every connection comes from 127.0.0.1, as from a reverse proxy on the same
/// machine (the in-process test server has no peer address of its own), with the settings given.
public class ProxiedServer(Engine engine, Dictionary<string, string> settings) : FairlabelServer(engine)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, FromLoopback>());
    }

    sealed class FromLoopback : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, then) =>
            {
                context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                return then(context);
            });
            next(app);
        };
    }

    /// A client whose requests say, as the proxy would, that they come from <paramref name="address"/>
    /// (and, with <paramref name="https"/>, over HTTPS).
    public HttpClient ClientFrom(string address, bool https = false)
    {
        var client = CreateClient(new() { HandleCookies = false });
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        if (https) client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return client;
    }

    /// Signs up through the proxy from <paramref name="address"/>.
    public Task<Api> SignUpFromAsync(string address, string role)
    {
        // The connection is the proxy's: the address is only in X-Forwarded-For.
        var browser = new BrowserSession(this, "127.0.0.1");
        browser.Client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return Api.SignUpAsync(browser, token => Api.WithToken(this, token), role);
    }
}
