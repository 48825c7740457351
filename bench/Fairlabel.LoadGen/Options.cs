using System.Globalization;

namespace Fairlabel.LoadGen;

/// Command-line options. Server-style keys (`--Database:Provider`, `--ConnectionStrings:Fairlabel`,
/// `--data`) name the same database the server uses, so seeding goes straight into it.
sealed class Options
{
    public List<Uri> Urls { get; } = [];
    public string DataDirectory { get; set; } = "data";
    public string Provider { get; set; } = "sqlite";
    public string? ConnectionString { get; set; }
    public int Taskers { get; set; } = 1000;
    public int Items { get; set; } = 1_000_000;
    public int Overlap { get; set; } = 3;
    public double DurationSeconds { get; set; } = 30;
    public double WarmupSeconds { get; set; } = 5;
    public double CeilingSeconds { get; set; } = 5;
    public int ThinkMs { get; set; }
    public int? ProjectId { get; set; }
    public string? MarkdownFile { get; set; }
    public string Label { get; set; } = "";
    public int ImportChunkBytes { get; set; } = 25_000_000;
    public List<int> ServerPids { get; } = [];
    public int TimeoutSeconds { get; set; } = 30;
    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
    public string? DatabaseProcess { get; set; }
    public bool Timeline { get; set; }
    public bool SubmitAndNext { get; set; }

    public bool IsPostgres => Provider.ToLowerInvariant() is "postgres" or "postgresql" or "npgsql";

    public const string Usage = """
        fairlabel-loadgen: simulated taskers against a running Fairlabel server (see docs/benchmarks.md)

          --url URL                  server base address; give it twice for two nodes (taskers are split)
          --data DIR                 the server's data directory (SQLite: DIR/fairlabel.db)
          --Database:Provider P      sqlite (default) or postgres
          --ConnectionStrings:Fairlabel CS   the server's connection string (required for postgres)
          --taskers N                simulated taskers (default 1000)
          --items N                  items to import when creating the project (default 1000000)
          --overlap K                answers per item (default 3)
          --duration S               measured seconds (default 30)
          --warmup S                 unmeasured seconds before (default 5)
          --ceiling S                seconds of GET /health/live for the ceiling (default 5)
          --think-ms MS              pause between next and submit (default 0)
          --project ID               use an existing published project (skips setup)
          --import-chunk-bytes B     split the import into files of at most B bytes (default 25000000)
          --server-pid PID           report this process's CPU use during the run (repeatable)
          --db-process NAME          report the CPU use of all processes named NAME (e.g. postgres)
          --timeout S                HTTP request timeout (default 30)
          --submit-and-next          one request per cycle: submit and take the next task together
                                     (POST /api/work/tasks/{id}/submit-and-next) instead of submit, then next
          --timeline                 print, per measured second, next-task requests, the share over 25 ms, the slowest,
                                     and the cores busy (server, database, generator, other processes)
          --markdown FILE            also write the results as a markdown snippet
          --label TEXT               a name for the run in the markdown snippet
        """;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0) { inline = arg[(eq + 1)..]; arg = arg[..eq]; }
            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value"));
            int Int() => int.Parse(Value(), CultureInfo.InvariantCulture);
            double Dbl() => double.Parse(Value(), CultureInfo.InvariantCulture);
            switch (arg)
            {
                case "--url": o.Urls.Add(new Uri(Value().TrimEnd('/') + "/")); break;
                case "--data" or "--DataDirectory": o.DataDirectory = Value(); break;
                case "--Database:Provider" or "--Database__Provider": o.Provider = Value(); break;
                case "--ConnectionStrings:Fairlabel" or "--ConnectionStrings__Fairlabel": o.ConnectionString = Value(); break;
                case "--taskers": o.Taskers = Int(); break;
                case "--items": o.Items = Int(); break;
                case "--overlap": o.Overlap = Int(); break;
                case "--duration": o.DurationSeconds = Dbl(); break;
                case "--warmup": o.WarmupSeconds = Dbl(); break;
                case "--ceiling": o.CeilingSeconds = Dbl(); break;
                case "--think-ms": o.ThinkMs = Int(); break;
                case "--project": o.ProjectId = Int(); break;
                case "--markdown": o.MarkdownFile = Value(); break;
                case "--label": o.Label = Value(); break;
                case "--import-chunk-bytes": o.ImportChunkBytes = Int(); break;
                case "--server-pid": o.ServerPids.Add(Int()); break;
                case "--timeout": o.TimeoutSeconds = Int(); break;
                case "--db-process": o.DatabaseProcess = Value(); break;
                case "--timeline": o.Timeline = true; break;
                case "--submit-and-next": o.SubmitAndNext = true; break;
                case "-h" or "--help": Console.WriteLine(Usage); Environment.Exit(0); break;
                default: throw new ArgumentException($"unknown option {arg}\n\n{Usage}");
            }
        }
        if (o.Urls.Count == 0) o.Urls.Add(new Uri("http://127.0.0.1:5080/"));
        o.ConnectionString ??= Environment.GetEnvironmentVariable("ConnectionStrings__Fairlabel");
        if (Environment.GetEnvironmentVariable("Database__Provider") is { Length: > 0 } p && !args.Contains("--Database:Provider"))
            o.Provider = p;
        if (o.IsPostgres && string.IsNullOrWhiteSpace(o.ConnectionString))
            throw new ArgumentException("--Database:Provider postgres needs --ConnectionStrings:Fairlabel");
        if (o.Taskers < 1 || o.Items < 1 || o.Overlap < 1 || o.DurationSeconds <= 0)
            throw new ArgumentException("--taskers, --items, --overlap and --duration must be positive");
        return o;
    }
}
