using System.Buffers;

namespace Fairlabel.Infrastructure;

/// How text that people wrote (answers, external ids, provenance, item data) is written as a cell
/// of a CSV file a spreadsheet may open, following OWASP's CSV Injection guidance: a cell that
/// begins with =, +, -, @, a tab or a carriage return is prefixed with a single quote, so the
/// spreadsheet shows it as text instead of running it as a formula, and is quoted.
///
/// Quoting is done here rather than by the CSV writer, which quotes only cells holding its own
/// separator, a quote or a line break: a spreadsheet set to split on semicolons or tabs (as in
/// many locales) would cut an unquoted `a;=HYPERLINK(…)` into a formula cell, so cells holding
/// those are quoted too.
public static class CsvCell
{
    static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r");
    static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n\t;");

    /// Whether a spreadsheet would read <paramref name="text"/> as the start of a formula.
    public static bool StartsFormula(ReadOnlySpan<char> text) => text.Length > 0 && FormulaStarts.Contains(text[0]);

    /// <paramref name="text"/> as it is written in the file: neutralised, then quoted as RFC 4180
    /// says (inner quotes doubled) when it needs to be.
    public static string Escape(string text)
    {
        if (StartsFormula(text)) return Quoted("'" + text);
        return text.AsSpan().ContainsAny(NeedsQuotes) ? Quoted(text) : text;
    }

    static string Quoted(string text) => "\"" + text.Replace("\"", "\"\"") + "\"";
}
