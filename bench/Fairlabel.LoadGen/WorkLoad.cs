using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Fairlabel.LoadGen;

/// What one phase (ceiling or work loop) measured.
sealed class Measurements
{
    public readonly Histogram Next = new();
    public readonly Histogram Submit = new();
    public readonly Histogram Health = new();
    /// The same requests as the server timed them (its `Server-Timing` header): the rest of what
    /// the generator measured was spent on the way or waiting to be read, in either process.
    public readonly Histogram NextOnServer = new(), SubmitOnServer = new(), NextWaitingForWrite = new();
    /// Next-task requests over 25 ms, summed: what the generator measured, the server's time, and
    /// the server's wait for its write group (all in microseconds). Where the slow ones' time went.
    public long SlowNextCount, SlowNextMicros, SlowNextServerMicros, SlowNextWriteMicros;
    public long Cycles;
    public long Requests;
    public readonly ConcurrentDictionary<string, long> Errors = new();
    public double Seconds;
    public CpuUse Cpu;
    /// The generator's own garbage collections in the window: a pause stops every simulated
    /// tasker at once, and the replies that arrive meanwhile are read late, so it is inside the
    /// latencies measured (the taskers stand in for browsers on other machines).
    public int GeneratorCollections;
    public TimeSpan GeneratorGcPause;
    /// How late the generator's own sleeping thread woke, over the measured window.
    public StallMeter? Stalls;
    /// Next-task requests per measured second, and how many of them took over 25 ms (the target):
    /// tells a steady tail (queueing) from bursts (pauses somewhere).
    public readonly long[] NextPerSecond = new long[3600], SlowNextPerSecond = new long[3600];
    public readonly long[] NextMaxPerSecond = new long[3600];
    /// With --timeline, the CPU each measured second: a bad second with the database busy is not
    /// a bad second with the generator or a neighbour busy.
    public readonly List<CpuUse> CpuPerSecond = [];

    public void RecordNext(long micros, long startedAt)
    {
        Next.Record(micros);
        var second = (int)Math.Min(3599, Histogram.Micros(startedAt, Stopwatch.GetTimestamp()) / 1_000_000);
        Interlocked.Increment(ref NextPerSecond[second]);
        if (micros > 25_000) Interlocked.Increment(ref SlowNextPerSecond[second]);
        var max = Volatile.Read(ref NextMaxPerSecond[second]);
        while (micros > max && Interlocked.CompareExchange(ref NextMaxPerSecond[second], micros, max) != max)
            max = Volatile.Read(ref NextMaxPerSecond[second]);
    }

    public void Error(string what) => Errors.AddOrUpdate(what, 1, (_, n) => n + 1);
    public long ErrorCount { get { long n = 0; foreach (var e in Errors) n += e.Value; return n; } }
}

/// Phases are switched by the coordinator; loops only look at the flag.
sealed class Phase
{
    public const int Warmup = 0, Measure = 1, Stop = 2;
    volatile int _value;
    public int Value => _value;
    public long MeasureStartedAt { get; private set; }
    public void Set(int value)
    {
        if (value == Measure) MeasureStartedAt = Stopwatch.GetTimestamp();
        _value = value;
    }
    public bool Measuring => _value == Measure;
}

/// The simulated taskers and the ceiling probe. Kept light, since the generator shares the
/// machine with the server: a plain keep-alive connection per tasker (RawConnection),
/// preallocated bodies and headers, no LINQ, and only `assignmentId` is read from a task.
sealed class WorkLoad(Options options, IReadOnlyList<Uri> servers, int projectId)
{
    static readonly byte[][] AnswerBodies = BuildAnswers();

    static byte[][] BuildAnswers()
    {
        var bodies = new byte[ProjectSetup.Categories.Length][];
        for (var i = 0; i < bodies.Length; i++)
            bodies[i] = Encoding.UTF8.GetBytes($$"""{"answer":{"category":"{{ProjectSetup.Categories[i]}}"},"activeSeconds":3.2}""");
        return bodies;
    }

    /// GET /health/live from <paramref name="concurrency"/> loops, split across nodes: the machine's ceiling.
    public async Task<Measurements> CeilingAsync(int concurrency, double seconds)
    {
        var m = new Measurements();
        var phase = new Phase();
        var loops = new Task[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            var connection = new RawConnection(servers[i % servers.Count], options.Timeout);
            loops[i] = Task.Run(() => HealthLoop(connection, phase, m));
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        var cpu = CpuUse.Start(options);
        var started = Stopwatch.GetTimestamp();
        phase.Set(Phase.Measure);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        phase.Set(Phase.Stop);
        m.Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        m.Cpu = cpu.Stop();
        await Task.WhenAll(loops);
        return m;
    }

    static async Task HealthLoop(RawConnection connection, Phase phase, Measurements m)
    {
        using var _ = connection;
        while (phase.Value != Phase.Stop)
        {
            var t0 = Stopwatch.GetTimestamp();
            try
            {
                var response = await connection.SendAsync("GET", "/health/live", ReadOnlyMemory<byte>.Empty);
                if (!phase.Measuring) continue;
                if (response.Status == 200)
                {
                    m.Health.Record(Histogram.Micros(t0, Stopwatch.GetTimestamp()));
                    Interlocked.Increment(ref m.Requests);
                }
                else m.Error($"health {response.Status}");
            }
            catch (RawHttpException e)
            {
                if (phase.Measuring) m.Error($"health {e.Kind}");
            }
        }
    }

    /// The taskers: next → think → submit, for warm-up then the measured window.
    public async Task<Measurements> RunAsync(string[] tokens, double warmupSeconds, double seconds)
    {
        var m = new Measurements();
        var phase = new Phase();
        var loops = new Task[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            var tasker = new Tasker(i, tokens[i], new RawConnection(servers[i % servers.Count], options.Timeout), projectId,
                options.ThinkMs, options.SubmitAndNext);
            loops[i] = Task.Run(() => tasker.LoopAsync(phase, m));
        }
        await Task.Delay(TimeSpan.FromSeconds(warmupSeconds));
        var cpu = CpuUse.Start(options);
        var started = Stopwatch.GetTimestamp();
        var (collections, gcPause) = (GC.CollectionCount(0), GC.GetTotalPauseDuration());
        phase.Set(Phase.Measure);
        m.Stalls = StallMeter.Start(phase.MeasureStartedAt);
        if (options.Timeline) Console.WriteLine($"  measuring from {DateTime.UtcNow:HH:mm:ss} UTC");
        var measured = Task.Delay(TimeSpan.FromSeconds(seconds));
        if (options.Timeline)
        {
            // Second by second, on the same clock as the latency timeline (a tick may be late; the
            // window's own wall time is what the cores are divided by).
            using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
            var window = CpuUse.Start(options);
            while (!measured.IsCompleted && await tick.WaitForNextTickAsync())
            {
                m.CpuPerSecond.Add(window.Stop());
                window = CpuUse.Start(options);
            }
        }
        await measured;
        phase.Set(Phase.Stop);
        m.Stalls.Stop();
        m.Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        m.Cpu = cpu.Stop();
        (m.GeneratorCollections, m.GeneratorGcPause) = (GC.CollectionCount(0) - collections, GC.GetTotalPauseDuration() - gcPause);
        var all = Task.WhenAll(loops);
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(options.TimeoutSeconds + 5))) != all)
            Console.WriteLine("  (some taskers were still waiting for the server when the run ended)");
        return m;
    }

    /// One cycle by the first tasker of each node before the clock starts: loads the node's task
    /// pool (a one-off cost per node and project), reported apart.
    public static async Task<TimeSpan> PrimeAsync(Uri server, string token, int projectId, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        using var connection = new RawConnection(server, timeout);
        var tasker = new Tasker(-1, token, connection, projectId, 0, submitAndNext: false);
        var m = new Measurements();
        var phase = new Phase();
        phase.Set(Phase.Measure);
        await tasker.CycleAsync(phase, m);
        if (m.Cycles != 1) throw new InvalidOperationException($"the first cycle on {server} failed: {string.Join(", ", m.Errors)}");
        return watch.Elapsed;
    }

    sealed class Tasker(int index, string token, RawConnection connection, int projectId, int thinkMs, bool submitAndNext)
    {
        readonly byte[] _auth = Encoding.ASCII.GetBytes($"Authorization: Bearer {token}\r\n");
        readonly string _next = $"/api/work/projects/{projectId}/tasks/next";
        readonly string _live = $"/api/work/projects/{projectId}/tasks";
        readonly string _keyPrefix = $"lg{index}-";
        int _answer = index & 3;
        /// With --submit-and-next, the task the last request brought (0: none, ask with next).
        long _held;

        /// People do not all think for the same time: uniform between half and one and a half times
        /// the mean, so a thousand taskers started together do not stay in step as one wave.
        int ThinkTime() => thinkMs / 2 + Random.Shared.Next(thinkMs + 1);

        public async Task LoopAsync(Phase phase, Measurements m)
        {
            using var _ = connection;
            if (thinkMs > 0) await Task.Delay(Random.Shared.Next(thinkMs + 1));
            while (phase.Value != Phase.Stop)
                await CycleAsync(phase, m);
        }

        /// next → think → submit; with --submit-and-next, think → submit-and-next, asking with next
        /// only when the last request brought no task.
        public async Task CycleAsync(Phase phase, Measurements m)
        {
            if (_held == 0)
            {
                _held = await NextAsync(phase, m);
                if (_held == 0) return;
            }
            if (thinkMs > 0) await Task.Delay(ThinkTime());
            var assignmentId = _held;
            _held = 0;
            await SubmitAsync(assignmentId, phase, m);
        }

        /// The next task's assignment id, or 0 (the request failed or brought none).
        async Task<long> NextAsync(Phase phase, Measurements m)
        {
            var t0 = Stopwatch.GetTimestamp();
            try
            {
                var response = await connection.SendAsync("POST", _next, _auth);
                if (response.Status == 200)
                {
                    if (phase.Measuring)
                    {
                        RecordNext(response, Histogram.Micros(t0, Stopwatch.GetTimestamp()), phase, m);
                        Interlocked.Increment(ref m.Requests);
                    }
                    return Replies.AssignmentId(response.Body.Span);
                }
                if (phase.Measuring) m.Error($"next {response.Status}");
                if (response.Status == 409) await ResumeAsync(phase, m);          // holds 2 leases: finish them
                else await Task.Delay(response.Status == 204 ? 200 : 50);        // none left / overloaded
            }
            catch (RawHttpException e)
            {
                if (phase.Measuring) m.Error($"next {e.Kind}");
            }
            return 0;
        }

        /// How long the tasker waited for a task, as measured here and as the server timed it.
        static void RecordNext(RawResponse response, long micros, Phase phase, Measurements m)
        {
            m.RecordNext(micros, phase.MeasureStartedAt);
            m.NextOnServer.Record(response.ServerMicros);
            m.NextWaitingForWrite.Record(response.WriteMicros);
            if (micros > 25_000)
            {
                Interlocked.Increment(ref m.SlowNextCount);
                Interlocked.Add(ref m.SlowNextMicros, micros);
                Interlocked.Add(ref m.SlowNextServerMicros, response.ServerMicros);
                Interlocked.Add(ref m.SlowNextWriteMicros, response.WriteMicros);
            }
        }

        /// Submits with one Idempotency-Key, retrying failures and timeouts with the same key. With
        /// --submit-and-next the same request brings the next task: its time is both the submission's
        /// and the wait for the next task, and a retry gets the task the lost reply carried.
        async Task SubmitAsync(long assignmentId, Phase phase, Measurements m)
        {
            var body = AnswerBodies[_answer++ & 3];
            var headers = Encoding.ASCII.GetBytes(
                $"Authorization: Bearer {token}\r\nIdempotency-Key: {_keyPrefix}{assignmentId}\r\nContent-Type: application/json\r\n");
            var path = $"/api/work/tasks/{assignmentId}/{(submitAndNext ? "submit-and-next" : "submit")}";
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    var response = await connection.SendAsync("POST", path, headers, body);
                    if (response.Status == 200)
                    {
                        var micros = Histogram.Micros(t0, Stopwatch.GetTimestamp());
                        var next = submitAndNext ? Replies.NextOf(response.Body.Span) : default;
                        if (phase.Measuring)
                        {
                            m.Submit.Record(micros);
                            m.SubmitOnServer.Record(response.ServerMicros);
                            if (next.AssignmentId != 0) RecordNext(response, micros, phase, m);
                            Interlocked.Increment(ref m.Requests);
                            Interlocked.Increment(ref m.Cycles);
                        }
                        _held = next.AssignmentId;
                        if (next.State == "limit-reached") await ResumeAsync(phase, m);
                        else if (next.State is "none-left" or "ask-again") await Task.Delay(next.State == "none-left" ? 200 : 50);
                        return;
                    }
                    if (phase.Measuring) m.Error($"submit {response.Status}");
                    if (response.Status < 500 && response.Status != 429) return;   // refused: retrying cannot help
                }
                catch (RawHttpException e)
                {
                    if (phase.Measuring) m.Error($"submit {e.Kind}");
                }
                await Task.Delay(50 << attempt);
            }
        }

        /// 409 on next: the tasker already holds two live leases (a lost reply); submit them.
        async Task ResumeAsync(Phase phase, Measurements m)
        {
            try
            {
                var response = await connection.SendAsync("GET", _live, _auth);
                if (response.Status != 200) return;
                var ids = Replies.AllAssignmentIds(response.Body.Span);
                foreach (var id in ids) await SubmitAsync(id, phase, m);
            }
            catch (RawHttpException e)
            {
                if (phase.Measuring) m.Error($"resume {e.Kind}");
            }
        }

    }
}

/// CPU time used during a window by the server processes and the database's processes (from
/// /proc), by this process, and by the whole machine, to tell a busy server from a busy neighbour.
readonly record struct CpuUse(double ServerSeconds, double DatabaseSeconds, double LoadGenSeconds, double WallSeconds,
    double MachineBusySeconds)
{
    public double ServerCores => WallSeconds > 0 ? ServerSeconds / WallSeconds : 0;
    public double DatabaseCores => WallSeconds > 0 ? DatabaseSeconds / WallSeconds : 0;
    public double LoadGenCores => WallSeconds > 0 ? LoadGenSeconds / WallSeconds : 0;
    public double MachineCores => WallSeconds > 0 ? MachineBusySeconds / WallSeconds : 0;
    public double OtherCores => MachineCores - ServerCores - DatabaseCores - LoadGenCores;

    public static Window Start(Options options) => new(options);

    public sealed class Window
    {
        readonly Options _options;
        readonly double _server, _self, _machine;
        readonly Dictionary<int, double> _database;
        readonly long _started = Stopwatch.GetTimestamp();

        public Window(Options options)
        {
            _options = options;
            _server = ProcessSeconds(options.ServerPids);
            _database = NamedProcesses(options.DatabaseProcess);
            _self = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            _machine = MachineBusy();
        }

        public CpuUse Stop()
        {
            var database = 0.0;
            foreach (var (pid, seconds) in NamedProcesses(_options.DatabaseProcess))
                database += seconds - _database.GetValueOrDefault(pid);
            return new(ProcessSeconds(_options.ServerPids) - _server, database,
                Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - _self,
                Stopwatch.GetElapsedTime(_started).TotalSeconds, MachineBusy() - _machine);
        }
    }

    const double TicksPerSecond = 100;   // USER_HZ on Linux

    static double ProcessSeconds(List<int> pids)
    {
        double total = 0;
        foreach (var pid in pids) total += Stat(pid, out _);
        return total;
    }

    /// utime + stime of a process, and its name (comm).
    static double Stat(int pid, out string name)
    {
        name = "";
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            name = stat[(open + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
        }
        catch (IOException) { return 0; }
    }

    static Dictionary<int, double> NamedProcesses(string? name)
    {
        var result = new Dictionary<int, double>();
        if (string.IsNullOrEmpty(name)) return result;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            var seconds = Stat(pid, out var comm);
            if (comm == name) result[pid] = seconds;
        }
        return result;
    }

    static double MachineBusy()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long busy = 0;
            for (var i = 1; i < f.Length && i <= 8; i++)
                if (i != 4 && i != 5) busy += long.Parse(f[i]);                        // all but idle, iowait
            return busy / TicksPerSecond;
        }
        catch (IOException) { return 0; }
    }
}
