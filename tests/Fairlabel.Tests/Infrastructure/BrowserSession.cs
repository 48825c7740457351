using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Fairlabel.Tests.Infrastructure;

/// A cookie session as the browser holds it: it keeps the session cookie and echoes the
/// XSRF-TOKEN cookie in the X-XSRF-TOKEN header of unsafe requests, like the web UI does.
public sealed class BrowserSession
{
    readonly XsrfHandler _xsrf = new();
    public HttpClient Client { get; }

    /// The address this browser's requests come from, on the in-process server.
    public string Address { get; } = $"127.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    public BrowserSession(FairlabelServer server, string? address = null)
    {
        if (address is not null) Address = address;
        _xsrf.Address = Address;
        Client = server.CreateDefaultClient(new CookieContainerHandler(), _xsrf);
    }

    /// A session with a server in another process.
    public BrowserSession(Uri baseAddress)
    {
        _xsrf.InnerHandler = new HttpClientHandler { UseCookies = true };
        Client = new HttpClient(_xsrf) { BaseAddress = baseAddress };
    }

    /// Turn off the antiforgery header to see the server refuse a forged request.
    public bool SendXsrfHeader { get => _xsrf.Enabled; set => _xsrf.Enabled = value; }

    sealed class XsrfHandler : DelegatingHandler
    {
        string? _token;
        public bool Enabled = true;
        public string? Address;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancel)
        {
            if (Address is not null) request.Headers.TryAddWithoutValidation(ClientAddressFromHeader.Header, Address);
            if (Enabled && _token is not null && request.Method != HttpMethod.Get) request.Headers.Add("X-XSRF-TOKEN", _token);
            var response = await base.SendAsync(request, cancel);
            if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
                foreach (var cookie in cookies)
                    if (cookie.StartsWith("XSRF-TOKEN=", StringComparison.Ordinal))
                        _token = Uri.UnescapeDataString(cookie["XSRF-TOKEN=".Length..].Split(';')[0]);
            return response;
        }
    }
}
