using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Fairlabel.LoadGen;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
// The taskers' socket reads complete on the socket thread itself instead of waking a thread-pool
// worker for each: the generator's loops never block, and a worker's wake-up (futex) was 18 % of
// its CPU on this virtual machine (perf). Read once, when the first socket opens.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
Options options;
try { options = Options.Parse(args); }
catch (ArgumentException e) { Console.Error.WriteLine(e.Message); return 2; }

// Enough thread-pool threads up front: a thousand loops must not wait for the pool to grow.
ThreadPool.SetMinThreads(Math.Max(8, Environment.ProcessorCount * 4), 64);

// HttpClient for the setup (project, imports, health check); the taskers use RawConnection.
var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = 100_000,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    UseProxy = false,
    ConnectTimeout = TimeSpan.FromSeconds(10),
};
var clients = new HttpClient[options.Urls.Count];
for (var i = 0; i < clients.Length; i++)
    clients[i] = new HttpClient(handler, disposeHandler: false)
    {
        BaseAddress = options.Urls[i],
        Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        DefaultRequestVersion = HttpVersion.Version11,
    };

var runId = DateTime.UtcNow.ToString("yyMMddHHmmss") + "-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..3]);
await using var seeder = new Seeder(options);
Console.WriteLine($"fairlabel-loadgen {runId}: {options.Taskers:N0} taskers against {string.Join(", ", options.Urls)} ({seeder.Describe()})");

foreach (var client in clients)
{
    using var health = await client.GetAsync("health/live");
    if (!health.IsSuccessStatusCode) { Console.Error.WriteLine($"{client.BaseAddress}health/live: {(int)health.StatusCode}"); return 1; }
}

// 1. Setup.
int projectId;
ProjectSetup.Result? setup = null;
if (options.ProjectId is { } existing)
{
    projectId = existing;
    Console.WriteLine($"setup: using project {projectId}");
}
else
{
    Console.WriteLine($"setup: requester, project, {options.Items:N0} items, overlap {options.Overlap}");
    var requester = await seeder.RequesterAsync(runId);
    setup = await ProjectSetup.CreateAsync(clients[0], requester, options, runId);
    projectId = setup.ProjectId;
    Console.WriteLine($"  import: {setup.Inserted:N0} items in {setup.ImportTime.TotalSeconds:F1} s " +
                      $"({setup.Inserted / setup.ImportTime.TotalSeconds:N0} items/s)");
}
var seedWatch = Stopwatch.StartNew();
var tokens = await seeder.TaskersAsync(runId, options.Taskers);
Console.WriteLine($"  {tokens.Length:N0} taskers with API tokens seeded in {seedWatch.Elapsed.TotalMilliseconds:N0} ms");

var load = new WorkLoad(options, options.Urls, projectId);
var primes = new List<string>();
for (var i = 0; i < options.Urls.Count && i < tokens.Length; i++)
{
    var first = await WorkLoad.PrimeAsync(options.Urls[i], tokens[i], projectId, options.Timeout);
    primes.Add($"{options.Urls[i]} {first.TotalMilliseconds:N0} ms");
}
Console.WriteLine($"  first cycle per node (loads the node's task pool): {string.Join(", ", primes)}");

// 2. Ceiling.
Console.WriteLine($"ceiling: GET /health/live from {options.Taskers:N0} concurrent clients for {options.CeilingSeconds:F0} s");
var ceiling = await load.CeilingAsync(options.Taskers, options.CeilingSeconds);
var healthRate = ceiling.Requests / ceiling.Seconds;
Console.WriteLine($"  {healthRate:N0} req/s");

// 3. Load.
Console.WriteLine($"load: {options.Taskers:N0} taskers, think {options.ThinkMs} ms, warm-up {options.WarmupSeconds:F0} s, measured {options.DurationSeconds:F0} s");
var work = await load.RunAsync(tokens, options.WarmupSeconds, options.DurationSeconds);

// 4. Report.
var report = new Report(options, runId, projectId, setup, ceiling, work, primes, args);
Console.WriteLine();
Console.WriteLine(report.Table());
Console.WriteLine(report.Details());
if (options.Timeline)
{
    Console.WriteLine("timeline: per measured second, next-task requests, the share over 25 ms, the slowest, how late the generator's 1 ms sleep woke at most, and the cores busy");
    Console.WriteLine($"  second  requests  >25 ms  slowest ms  generator late ms | server  {options.DatabaseProcess ?? "db",8}  loadgen  other  machine");
    var seconds = (int)Math.Ceiling(work.Seconds);
    for (var second = 0; second < seconds && second < work.NextPerSecond.Length; second++)
    {
        var count = work.NextPerSecond[second];
        Console.Write($"  {second,6}  {count,8:N0}  {(count == 0 ? 0 : 100.0 * work.SlowNextPerSecond[second] / count),5:F1} %  {work.NextMaxPerSecond[second] / 1000.0,10:F1}  " +
                      $"{work.Stalls!.LatestPerSecond[second] / 1000.0,17:F1} |");
        if (second < work.CpuPerSecond.Count)
        {
            var cpu = work.CpuPerSecond[second];
            Console.Write($" {cpu.ServerCores,6:F2}  {cpu.DatabaseCores,8:F2}  {cpu.LoadGenCores,7:F2}  {cpu.OtherCores,5:F2}  {cpu.MachineCores,7:F2}");
        }
        Console.WriteLine();
    }
}
var (answers, doubles, overK) = await seeder.CheckAsync(projectId, options.Overlap);
var check = $"database check: {answers:N0} answers in project {projectId}; {doubles} (item, tasker) pairs answered twice; {overK} items over k" +
    (await seeder.DeadlocksAsync() is { } deadlocks ? $"; {deadlocks} deadlocks" : "");
Console.WriteLine(check);
if (options.MarkdownFile is { } path)
{
    await File.WriteAllTextAsync(path, report.Markdown(check));
    Console.WriteLine($"markdown written to {path}");
}
return doubles == 0 && overK == 0 ? 0 : 3;

sealed class Report(Options o, string runId, int projectId, ProjectSetup.Result? setup, Measurements ceiling,
    Measurements work, List<string> primes, string[] args)
{
    double CyclesPerSecond => work.Cycles / work.Seconds;
    double WorkRequestsPerSecond => work.Requests / work.Seconds;
    double HealthPerSecond => ceiling.Requests / ceiling.Seconds;

    static string Ms(long micros) => (micros / 1000.0).ToString("F1", CultureInfo.InvariantCulture);
    string Share(long micros) => ((double)micros / work.SlowNextMicros).ToString("P0", CultureInfo.InvariantCulture);
    static string Percentiles(Histogram h) => $"{Ms(h.Percentile(50))} / {Ms(h.Percentile(95))} / {Ms(h.Percentile(99))}";

    (string[] Header, string[] Row) Columns() => (
        ["cycles/s", "next p50/p95/p99 ms", "submit p50/p95/p99 ms", "errors", "health req/s",
         "cycles/s ÷ health", "work req/s ÷ health"],
        [
            CyclesPerSecond.ToString("N0"),
            Percentiles(work.Next),
            Percentiles(work.Submit),
            work.ErrorCount.ToString("N0"),
            HealthPerSecond.ToString("N0"),
            (CyclesPerSecond / HealthPerSecond).ToString("P1"),
            (WorkRequestsPerSecond / HealthPerSecond).ToString("P1"),
        ]);

    public string Table()
    {
        var (header, row) = Columns();
        var widths = new int[header.Length];
        for (var i = 0; i < header.Length; i++) widths[i] = Math.Max(header[i].Length, row[i].Length);
        var sb = new StringBuilder();
        for (var i = 0; i < header.Length; i++) sb.Append(header[i].PadLeft(widths[i])).Append("  ");
        sb.AppendLine();
        for (var i = 0; i < header.Length; i++) sb.Append(row[i].PadLeft(widths[i])).Append("  ");
        return sb.ToString();
    }

    public string Details()
    {
        var sb = new StringBuilder();
        sb.AppendLine(o.SubmitAndNext
            ? "loop: next once, then think → submit-and-next (one request per cycle; its time counts as both next and submit)"
            : "loop: next → think → submit");
        sb.AppendLine($"cycles {work.Cycles:N0} in {work.Seconds:F1} s; work-loop requests {work.Requests:N0} ({WorkRequestsPerSecond:N0}/s); " +
                      $"next max {Ms(work.Next.Max)} ms, submit max {Ms(work.Submit.Max)} ms");
        sb.AppendLine($"as the server timed them (Server-Timing): next p50/p95/p99 {Percentiles(work.NextOnServer)} ms " +
                      $"(of which waiting for its write {Percentiles(work.NextWaitingForWrite)} ms), submit {Percentiles(work.SubmitOnServer)} ms");
        if (work.SlowNextCount > 0)
            sb.AppendLine($"next-task requests over 25 ms: {work.SlowNextCount:N0}, on average {Ms(work.SlowNextMicros / work.SlowNextCount)} ms, of which " +
                          $"{Share(work.SlowNextWriteMicros)} waiting for the write, {Share(work.SlowNextServerMicros - work.SlowNextWriteMicros)} elsewhere in the server, " +
                          $"{Share(work.SlowNextMicros - work.SlowNextServerMicros)} outside it (between processes, or waiting to be read)");
        sb.AppendLine($"the generator's own garbage collections: {work.GeneratorCollections:N0}, paused {work.GeneratorGcPause.TotalMilliseconds:N0} ms " +
                      $"({work.GeneratorGcPause.TotalMilliseconds / work.Seconds:F1} ms a second)");
        if (work.Stalls is { } stalls)
            sb.AppendLine($"the generator's 1 ms sleeps woke over {StallMeter.Long / 1000} ms late {stalls.LongStalls:N0} times, at most {Ms(stalls.Latest)} ms late " +
                          "(then every process on the machine was held up, not only the server)");
        sb.AppendLine($"health: {ceiling.Requests:N0} requests, p50 {Ms(ceiling.Health.Percentile(50))} ms, p99 {Ms(ceiling.Health.Percentile(99))} ms");
        if (work.Errors.Count > 0)
        {
            sb.Append("errors:");
            foreach (var e in work.Errors) sb.Append($" {e.Key}={e.Value:N0}");
            sb.AppendLine();
        }
        sb.AppendLine(Cpu("health", ceiling.Cpu));
        sb.Append(Cpu("load  ", work.Cpu));
        if (o.ServerPids.Count == 0) sb.Append(" (server CPU needs --server-pid)");
        return sb.ToString();
    }

    string Cpu(string phase, CpuUse cpu)
    {
        var text = $"CPU (cores busy) during {phase}: server {cpu.ServerCores:F2}";
        if (o.DatabaseProcess is not null) text += $", {o.DatabaseProcess} {cpu.DatabaseCores:F2}";
        text += $", loadgen {cpu.LoadGenCores:F2}, machine {cpu.MachineCores:F2} of {Environment.ProcessorCount}";
        if (o.ServerPids.Count > 0)
            text += $", other processes {cpu.OtherCores:F2}" + (cpu.OtherCores > 0.15 ? " (THE MACHINE WAS NOT QUIET)" : "");
        return text;
    }

    public string Markdown(string check)
    {
        var (header, row) = Columns();
        var sb = new StringBuilder();
        var engine = o.IsPostgres ? "PostgreSQL" : "SQLite";
        sb.AppendLine($"#### {(o.Label.Length > 0 ? o.Label : engine)}: {o.Taskers:N0} taskers, {o.Urls.Count} node(s), {o.Items:N0} items, overlap {o.Overlap}, think {o.ThinkMs} ms");
        sb.AppendLine();
        sb.AppendLine($"Run `{runId}`, project {projectId}, {o.DurationSeconds:F0} s measured after {o.WarmupSeconds:F0} s of warm-up; " +
                      $"ceiling = `GET /health/live` from {o.Taskers:N0} concurrent clients for {o.CeilingSeconds:F0} s.");
        sb.AppendLine();
        sb.AppendLine("| " + string.Join(" | ", header) + " |");
        sb.AppendLine("|" + string.Concat(Enumerable.Repeat("---:|", header.Length)));
        sb.AppendLine("| " + string.Join(" | ", row) + " |");
        sb.AppendLine();
        foreach (var line in Details().Split('\n')) sb.AppendLine("- " + line.TrimEnd());
        if (setup is not null)
            sb.AppendLine($"- import (side figure): {setup.Inserted:N0} items in {setup.ImportTime.TotalSeconds:F1} s " +
                          $"({setup.Inserted / setup.ImportTime.TotalSeconds:N0} items/s), in files of at most {o.ImportChunkBytes / 1e6:F0} MB");
        sb.AppendLine($"- first cycle per node (task pool load): {string.Join(", ", primes)}");
        sb.AppendLine($"- {check}");
        sb.AppendLine($"- command: `fairlabel-loadgen {string.Join(' ', args.Select(a => a.Contains(' ') ? $"\"{a}\"" : a))}`");
        return sb.ToString();
    }
}
