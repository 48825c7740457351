using System.Text;
using Fairlabel.Items;

namespace Fairlabel.Tests.Items;

public sealed class Utf8LineReaderTests
{
    static List<string?> Lines(string text, int max)
    {
        var reader = new Utf8LineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), max);
        var lines = new List<string?>();
        while (reader.TryReadLine(out var line, out var tooLong))
            lines.Add(tooLong ? null : Encoding.UTF8.GetString(line.Span));
        return lines;
    }

    [Fact]
    public void Lines_end_at_lf_or_crlf_and_the_last_needs_no_line_ending() =>
        Assert.Equal(["a", "b", "", "c"], Lines("a\nb\r\n\r\nc", 10));

    [Fact]
    public void A_byte_order_mark_is_skipped_on_the_first_line_only() =>
        Assert.Equal(["a", "\uFEFFb"], Lines("\uFEFFa\n\uFEFFb\n", 10));

    [Fact]
    public void A_line_over_the_limit_is_reported_and_the_next_line_read_as_usual()
    {
        var lines = Lines("short\n" + new string('x', 200_000) + "\nafter\n" + new string('y', 11) + "\r\nlast", 10);
        Assert.Equal(["short", null, "after", null, "last"], lines);
    }

    [Fact]
    public void A_line_of_exactly_the_limit_is_read_with_or_without_a_carriage_return() =>
        Assert.Equal(["0123456789", "0123456789", "0123456789"], Lines("0123456789\n0123456789\r\n0123456789", 10));

    [Fact]
    public void Lines_are_numbered_from_one_counting_the_long_ones()
    {
        var reader = new Utf8LineReader(new MemoryStream(Encoding.UTF8.GetBytes("a\n" + new string('x', 100) + "\nc\n")), 10);
        var numbers = new List<long>();
        while (reader.TryReadLine(out _, out _)) numbers.Add(reader.LineNumber);
        Assert.Equal([1L, 2, 3], numbers);
    }
}
