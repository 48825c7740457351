using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fairlabel.Tests.Infrastructure;

/// The real `fairlabel` executable in its own process, for what only a process can show:
/// several nodes on one database, SIGKILL in the middle of work, a start that must fail.
public sealed class ServerProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();

    ServerProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Url { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Fairlabel.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root.");
        }
    }

    /// The server as built with the solution (its folder holds the migrations assemblies).
    static string ServerDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}")
                ? "Release" : "Debug";
            return Path.Combine(RepositoryRoot, "src", "Fairlabel", "bin", configuration, "net10.0", "fairlabel.dll");
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// Starts `fairlabel <verb> --urls http://127.0.0.1:PORT` plus the given arguments.
    public static ServerProcess Launch(string verb, IEnumerable<string> arguments, int? port = null)
    {
        var url = new Uri($"http://127.0.0.1:{port ?? FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var a in (string[])[ServerDll, verb, "--urls", url.ToString().TrimEnd('/'), .. arguments])
            start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return new ServerProcess(Process.Start(start)!, url);
    }

    /// Runs a command-line verb to its end: (exit code, everything it printed). Its input is not a
    /// terminal, as in a script: nothing to read. One still running after two minutes (a verb that
    /// serves, a question waiting for an answer) is killed and fails the test.
    public static async Task<(int ExitCode, string Output)> RunToolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var a in (string[])[ServerDll, .. arguments]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`fairlabel {string.Join(' ', arguments)}` still ran after two minutes");
        }
        return (process.ExitCode, await output + await error);
    }

    public static async Task<ServerProcess> StartAsync(IEnumerable<string> arguments, int? port = null)
    {
        var server = Launch("serve", arguments, port);
        await server.WaitUntilHealthyAsync();
        Operators.Register(server.Url, [.. arguments]);
        return server;
    }

    public async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        // About 90 s, as the end-to-end tests wait: on a busy machine a start can take half a minute or more.
        for (var i = 0; i < 900; i++)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The server exited ({_process.ExitCode}):\n{Output}");
            try
            {
                if ((await client.GetAsync("/health/live")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The server did not become healthy:\n{Output}");
    }

    /// SIGKILL: no shutdown hooks, no flushing — the crash the durability promise is about.
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited) KillHard();
        _process.Dispose();
        await Task.CompletedTask;
    }
}
