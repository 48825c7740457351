using Fairlabel.Infrastructure;
using Fairlabel.Projects;

namespace Fairlabel.Items;

/// Reads an item file (JSONL, CSV or TSV) record by record, turning each into an <see cref="ItemRow"/>
/// or into errors that name the line and the field. Holds at most one line (of the limit's size) at a time.
public sealed class ItemFileReader(ImportDefaults defaults, TaskTemplate? template, int maxLineBytes)
{
    public static string FormatOf(string fileName) =>
        Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".jsonl" or ".ndjson" => "jsonl",
            ".csv" => "csv",
            ".tsv" or ".tab" => "tsv",
            _ => "",
        };

    public IEnumerable<(long Line, ItemRow? Row, List<LineError> Errors)> Read(Stream file, string format)
    {
        var items = new ItemRowBuilder(defaults, template);
        return format switch
        {
            "csv" => new CsvItemReader(items, maxLineBytes).Read(file),
            "tsv" => new CsvItemReader(items, maxLineBytes, '\t').Read(file),
            _ => new JsonlItemReader(items, maxLineBytes).Read(file),
        };
    }
}
