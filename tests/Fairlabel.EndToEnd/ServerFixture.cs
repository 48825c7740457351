using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Microsoft.Playwright;

namespace Fairlabel.EndToEnd;

/// Starts `fairlabel demo` on a free loopback port with its own data directory, and Debian's
/// Chromium through Playwright; both live for the whole test collection.
public sealed class ServerFixture : IAsyncLifetime
{
    public const string Password = "fairlabel-demo";
    public const string Requester = "requester@demo.fairlabel.org";
    public const string Tasker1 = "tasker1@demo.fairlabel.org";
    public const string Tasker2 = "tasker2@demo.fairlabel.org";
    public const string Tasker3 = "tasker3@demo.fairlabel.org";

    static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    readonly StringBuilder _log = new();
    Process? _server;
    string? _dataDir;
    IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";
    public string RepositoryRoot { get; } = Metadata("RepositoryRoot");
    public string ScreenshotDir { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");
    public IBrowser Browser { get; private set; } = null!;

    public string ServerLog
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// The end of the server's output, for failure messages.
    string LogTail => string.Join('\n', ServerLog.Split('\n').TakeLast(40));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDir);
        // FAIRLABEL_E2E_URL points the tests at a demo server already running (for debugging).
        if (Environment.GetEnvironmentVariable("FAIRLABEL_E2E_URL") is { Length: > 0 } url) BaseUrl = url.TrimEnd('/');
        else StartServer();
        await WaitForHealthAsync(TimeSpan.FromSeconds(90));

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Args = ChromiumArgs,
            Headless = true,
        });
    }

    void StartServer()
    {
        var serverDir = Path.Combine(RepositoryRoot, "src", "Fairlabel");
        var dll = Environment.GetEnvironmentVariable("FAIRLABEL_SERVER_DLL")
            ?? Path.Combine(serverDir, "bin", Metadata("Configuration"), "net10.0", "fairlabel.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"The server is not built: {dll} is missing.");
        if (!File.Exists(Path.Combine(serverDir, "wwwroot", "index.html")))
            throw new InvalidOperationException("The web UI is not built: run `npm ci && npm run build` in web/.");

        BaseUrl = $"http://127.0.0.1:{FreePort()}";
        _dataDir = Path.Combine(Path.GetTempPath(), "fairlabel-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dataDir);

        var start = new ProcessStartInfo("dotnet")
        {
            // The content root (and so wwwroot) is the working directory.
            WorkingDirectory = serverDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "demo", "--urls", BaseUrl, "--data", _dataDir }) start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning";
        _server = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        _server.OutputDataReceived += (_, e) => Append(e.Data);
        _server.ErrorDataReceived += (_, e) => Append(e.Data);
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }
        _server?.Dispose();
        try
        {
            if (_dataDir is not null) Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS to clean up with the temp directory.
        }
    }

    /// A fresh browser context (its own cookies) with a page, sized like a desktop or a phone.
    public async Task<IPage> NewPageAsync(bool phone = false)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            DeviceScaleFactor = 1,
            IsMobile = phone,
            HasTouch = phone,
            // The server's CSP forbids inline scripts; axe-core is injected as one.
            BypassCSP = true,
            AcceptDownloads = true,
            Locale = "en-US",
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task LoginAsync(IPage page, string email)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => !url.EndsWith("/login"));
    }

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    async Task WaitForHealthAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_server is { HasExited: true })
                throw new InvalidOperationException($"The server exited with code {_server.ExitCode}:\n{LogTail}");
            try
            {
                var res = await http.GetAsync(BaseUrl + "/health/live");
                if (res.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"GET /health/live did not answer 200 within {timeout}:\n{LogTail}");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string Metadata(string key) =>
        typeof(ServerFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing.");
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
