using Fairlabel.Infrastructure;

namespace Fairlabel.Tests.Export;

public sealed class CsvCellTests
{
    [Theory]
    [InlineData("=1+2", "\"'=1+2\"")]
    [InlineData("+1", "\"'+1\"")]
    [InlineData("-2+3", "\"'-2+3\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\t=1", "\"'\t=1\"")]
    [InlineData("\r=1", "\"'\r=1\"")]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    public void A_cell_a_spreadsheet_would_run_is_prefixed_with_a_quote_and_quoted(string text, string written) =>
        Assert.Equal(written, CsvCell.Escape(text));

    [Theory]
    [InlineData("pos", "pos")]
    [InlineData("", "")]
    [InlineData("x=1", "x=1")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("a;=1+2", "\"a;=1+2\"")]
    [InlineData("a\t=1+2", "\"a\t=1+2\"")]
    public void Other_text_is_quoted_only_where_a_separator_quote_or_line_break_needs_it(string text, string written) =>
        Assert.Equal(written, CsvCell.Escape(text));
}
