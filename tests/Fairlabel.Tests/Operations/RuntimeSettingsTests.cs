using System.Diagnostics;
using Fairlabel.Tests.Infrastructure;

namespace Fairlabel.Tests.Operations;

/// The .NET runtime's settings that only the environment can carry (src/Fairlabel/runtime.env),
/// as `./fairlabel`, bench/work-loop.sh and these tests' server processes apply them.
public sealed class RuntimeSettingsTests
{
    static string Root => ServerProcess.RepositoryRoot;

    static Dictionary<string, string> SettingsFile() =>
        File.ReadAllLines(Path.Combine(Root, "src", "Fairlabel", "runtime.env"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);

    static async Task<string> EnvironmentUnderWrapperAsync(Dictionary<string, string> preset)
    {
        var start = new ProcessStartInfo(Path.Combine(Root, "scripts", "with-runtime-env"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add("env");
        foreach (var name in SettingsFile().Keys) start.Environment.Remove(name);
        foreach (var (name, value) in preset) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        return output;
    }

    [Fact]
    public void The_file_holds_plain_assignments_a_service_manager_can_read()
    {
        var settings = SettingsFile();
        Assert.Equal("0x4000000", settings["DOTNET_GCgen0size"]);
        Assert.All(settings, s => Assert.Matches("^DOTNET_[A-Za-z0-9_]+$", s.Key));
        Assert.All(settings, s => Assert.Matches("^[^\\s\"']+$", s.Value));
    }

    [Fact]
    public async Task The_server_gets_each_setting_unless_the_environment_already_sets_it()
    {
        var applied = await EnvironmentUnderWrapperAsync([]);
        Assert.Contains("\nDOTNET_GCgen0size=0x4000000\n", "\n" + applied);

        var overridden = await EnvironmentUnderWrapperAsync(new() { ["DOTNET_GCgen0size"] = "0x800000" });
        Assert.Contains("\nDOTNET_GCgen0size=0x800000\n", "\n" + overridden);
        Assert.DoesNotContain("DOTNET_GCgen0size=0x4000000", overridden);
    }

    [Fact]
    public async Task With_the_GC_log_on_a_node_logs_its_collections_and_pauses_every_second()
    {
        using var database = new ProcessDatabase(Engine.Sqlite);
        await using var server = await ServerProcess.StartAsync([.. database.ServerArguments,
            "--Diagnostics:GcLog", "true", "--Logging:LogLevel:Fairlabel.Infrastructure.GcLog", "Information"]);
        var line = new System.Text.RegularExpressions.Regex(@"GC at \d\d:\d\d:\d\d UTC: \d+ collections \(generation 1: \d+, 2: \d+\), paused \d+\.\d ms in the last second, allocated \d+\.\d MB, heap \d+ MB");
        for (var waited = 0; waited < 100 && line.Matches(server.Output).Count < 2; waited++) await Task.Delay(100);
        Assert.True(line.Matches(server.Output).Count >= 2, server.Output);
    }
}
