using Fairlabel.Data;
using Fairlabel.Export;
using Fairlabel.Items;
using Fairlabel.Projects;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Cli;

/// The `fairlabel` verbs other than the server: migrate, import, export, users, and the
/// offline quality tools (aggregate, rank, agreement) from Fairlabel.Quality.
public static class CommandLine
{
    public const string Serve = "serve", Demo = "demo";

    const string Usage = """
        usage: fairlabel <command> [options]

          serve      [--urls URL] [--data DIR]      run the web server and API
          demo       [--urls URL] [--data DIR]      migrate, seed a demo organisation, and serve
          migrate    [--data DIR]                   apply database migrations
          import     --project ID FILE [--source S] [--licence SPDX] [--consent-basis B]
          export     --project ID [--format jsonl|csv] [--output FILE]
          users      list | add --email E --password P --role operator|requester|tasker [--name N] [--organisation ORG]
          aggregate  --method mv|wawa|ds|onecoin-ds|glad|mace|mean|median|... --input answers.csv [--truth t.csv] [--output labels.csv]
          rank       --method bt|elo --input comparisons.csv [--output scores.csv]
          agreement  --metric alpha|fleiss|cohen --level nominal|ordinal|interval|ratio --input answers.csv

        Database: --Database:Provider sqlite|postgres and --ConnectionStrings:Fairlabel "..." (or the
        environment variables Database__Provider and ConnectionStrings__Fairlabel).
        """;

    public static (string Verb, string[] Arguments) Split(string[] args) =>
        args.Length == 0 || args[0].StartsWith('-') ? (Serve, args) : (args[0], args[1..]);

    /// `--data DIR` is ours; everything else is ASP.NET configuration (`--urls`, `--Database:Provider`).
    public static string[] HostArguments(string[] args)
    {
        var result = new List<string>();
        for (var i = 0; i < args.Length; i++)
            if (args[i] == "--data" && i + 1 < args.Length) result.Add("--DataDirectory=" + args[++i]);
            else result.Add(args[i]);
        return [.. result];
    }

    public static async Task<int> RunToolAsync(string verb, string[] args)
    {
        switch (verb)
        {
            case "aggregate" or "rank" or "agreement":
                return QualityVerbs.Run([verb, .. args], Console.Out, Console.Error);
            case "help" or "--help" or "-h":
                Console.WriteLine(Usage);
                return 0;
            case "migrate" or "import" or "export" or "users":
                break;
            default:
                Console.Error.WriteLine($"fairlabel: unknown command '{verb}'\n\n{Usage}");
                return 2;
        }
        var options = ToolOptions.Parse(args, ["project", "source", "licence", "consent-basis", "format", "output",
            "email", "password", "role", "name", "organisation"]);
        var app = FairlabelApp.Create(HostArguments([.. options.Rest]));
        try
        {
            if (verb == "migrate")
            {
                await app.Services.MigrateAsync();
                Console.WriteLine($"Migrated {app.Services.GetRequiredService<DatabaseSettings>().Target}.");
                return 0;
            }
            if (await app.Services.CheckAsync() is { } problem)
            {
                Console.Error.WriteLine(problem);
                return 3;
            }
            return verb switch
            {
                "import" => await ImportAsync(app.Services, options),
                "export" => await ExportAsync(app.Services, options),
                _ => await UserCommands.RunAsync(app.Services, options),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"fairlabel {verb}: {e.Message}");
            return 2;
        }
    }

    static async Task<int> ImportAsync(IServiceProvider services, ToolOptions options)
    {
        var projectId = options.RequiredInt("project");
        var file = options.Positional.FirstOrDefault() ?? throw new UsageException("name the file to import");
        if (!File.Exists(file)) throw new UsageException($"no file at {file}");
        var format = ItemFileReader.FormatOf(file);
        if (format.Length == 0) throw new UsageException("the file must end in .jsonl or .csv");
        Project project;
        using (var scope = services.CreateScope())
            project = await scope.ServiceProvider.GetRequiredService<FairlabelDb>().Projects.AsNoTracking()
                .FirstOrDefaultAsync(p => p.Id == projectId) ?? throw new UsageException($"project {projectId} does not exist");

        var uploads = services.GetRequiredService<ImportUploads>();
        var importer = services.GetRequiredService<ItemImporter>();
        var import = await uploads.CreateAsync(project, null, Path.GetFileName(file), format);
        var defaults = new ImportDefaults(options.Get("source"), options.Get("licence"), options.Get("consent-basis"));
        var started = DateTime.UtcNow;
        // On its own thread: SQLite's "async" calls complete synchronously, and progress must print meanwhile.
        var run = Task.Run(() => importer.RunAsync(import.Id, projectId, file, format, defaults, TemplateParser.ParseStored(project.Template)));
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(1000));
            if (importer.Running(import.Id) is { } p && p.TotalBytes > 0)
                Console.Error.Write($"\r{p.LinesRead:N0} lines, {100.0 * p.BytesRead / p.TotalBytes:F0}%   ");
        }
        var result = await run;
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        Console.Error.WriteLine();
        foreach (var e in result.Errors) Console.Error.WriteLine($"line {e.Line}: {e.Field}: {e.Message}");
        Console.WriteLine($"{result.Status}: {result.Inserted:N0} inserted, {result.Duplicates:N0} duplicates, " +
            $"{result.LinesRead:N0} lines in {seconds:F1} s ({result.LinesRead / Math.Max(seconds, 1e-9):N0} lines/s)");
        return result.Status == ImportStatus.Succeeded ? 0 : 1;
    }

    static async Task<int> ExportAsync(IServiceProvider services, ToolOptions options)
    {
        var projectId = options.RequiredInt("project");
        var format = options.Get("format") ?? "jsonl";
        if (!ProjectExport.Formats.Contains(format)) throw new UsageException("--format must be jsonl or csv");
        var output = options.Get("output");
        await using var stream = output is null ? Console.OpenStandardOutput() : File.Create(output);
        var started = DateTime.UtcNow;
        var rows = await services.GetRequiredService<ProjectExport>().WriteAsync(stream, projectId, format);
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        Console.Error.WriteLine($"exported {rows:N0} rows in {seconds:F1} s ({rows / Math.Max(seconds, 1e-9):N0} rows/s)");
        return 0;
    }
}

public sealed class UsageException(string message) : Exception(message);

/// `--name value` pairs we know, positional arguments, and the rest for the host's configuration.
public sealed class ToolOptions
{
    readonly Dictionary<string, string> _values = [];
    public List<string> Positional { get; } = [];
    public List<string> Rest { get; } = [];

    public static ToolOptions Parse(string[] args, string[] known)
    {
        var options = new ToolOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--") && known.Contains(arg[2..]))
            {
                if (i + 1 >= args.Length) throw new UsageException($"{arg} needs a value");
                options._values[arg[2..]] = args[++i];
            }
            else if (arg.StartsWith("--"))
            {
                options.Rest.Add(arg);
                if (!arg.Contains('=') && i + 1 < args.Length && !args[i + 1].StartsWith("--")) options.Rest.Add(args[++i]);
            }
            else options.Positional.Add(arg);
        }
        return options;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public int RequiredInt(string name) =>
        int.TryParse(Get(name), out var n) ? n : throw new UsageException($"--{name} needs a number");

    public string Required(string name) => Get(name) ?? throw new UsageException($"--{name} is required");
}
