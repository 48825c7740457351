using System.CommandLine;
using Fairlabel.Data;
using Fairlabel.Export;
using Fairlabel.Items;
using Fairlabel.Projects;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Cli;

/// `fairlabel import` and `fairlabel export`: a project's items in, its dataset out.
public static class ItemCommands
{
    static Option<int> ProjectOption() => new("--project") { Description = "Id of the project", HelpName = "ID", Required = true };

    public static Command Import(string[] settings)
    {
        var command = new HostCommand("import", "Stream a JSONL or CSV file of items into a project, with progress", settings);
        var project = ProjectOption();
        var file = new Argument<string>("FILE") { Description = "The items: a .jsonl or .csv file" };
        var source = new Option<string>("--source") { Description = "Provenance source for items that name none", HelpName = "S" };
        var licence = new Option<string>("--licence") { Description = "SPDX licence for items that name none", HelpName = "SPDX" };
        var consent = new Option<string>("--consent-basis") { Description = "Consent basis for items that name none", HelpName = "B" };
        command.Options.Add(project);
        command.Arguments.Add(file);
        command.Options.Add(source);
        command.Options.Add(licence);
        command.Options.Add(consent);
        command.SetAction((parsed, _) => command.WithDatabaseAsync(parsed, services => ImportAsync(services,
            parsed.GetValue(project), parsed.GetRequiredValue(file),
            new ImportDefaults(parsed.GetValue(source), parsed.GetValue(licence), parsed.GetValue(consent)))));
        return command;
    }

    public static Command Export(string[] settings)
    {
        var command = new HostCommand("export", "Write a project's dataset: items, raw answers and aggregated labels", settings);
        var project = ProjectOption();
        var format = new Option<string>("--format") { Description = "jsonl (default) or csv", HelpName = "jsonl|csv", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong([.. ProjectExport.Formats]);
        var output = new Option<string>("--output") { Description = "File to write (default: standard output)", HelpName = "FILE" };
        command.Options.Add(project);
        command.Options.Add(format);
        command.Options.Add(output);
        command.SetAction((parsed, _) => command.WithDatabaseAsync(parsed, services =>
            ExportAsync(services, parsed.GetValue(project), parsed.GetValue(format)!, parsed.GetValue(output))));
        return command;
    }

    static async Task<Project> ProjectAsync(IServiceProvider services, int id)
    {
        using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<FairlabelDb>().Projects.AsNoTracking()
            .FirstOrDefaultAsync(p => p.Id == id) ?? throw new UsageException($"project {id} does not exist");
    }

    static async Task<int> ImportAsync(IServiceProvider services, int projectId, string file, ImportDefaults defaults)
    {
        if (!File.Exists(file)) throw new UsageException($"no file at {file}");
        var format = ItemFileReader.FormatOf(file);
        if (format.Length == 0) throw new UsageException("the file must end in .jsonl or .csv");
        var project = await ProjectAsync(services, projectId);

        var uploads = services.GetRequiredService<ImportUploads>();
        var importer = services.GetRequiredService<ItemImporter>();
        var import = await uploads.CreateAsync(project, null, Path.GetFileName(file), format);
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
        return result.Status == ImportStatus.Succeeded ? ExitCodes.Done : ExitCodes.Failed;
    }

    static async Task<int> ExportAsync(IServiceProvider services, int projectId, string format, string? output)
    {
        await ProjectAsync(services, projectId);
        await using var stream = output is null ? Console.OpenStandardOutput() : File.Create(output);
        var started = DateTime.UtcNow;
        var rows = await services.GetRequiredService<ProjectExport>().WriteAsync(stream, projectId, format);
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        Console.Error.WriteLine($"exported {rows:N0} rows in {seconds:F1} s ({rows / Math.Max(seconds, 1e-9):N0} rows/s)");
        return ExitCodes.Done;
    }
}
