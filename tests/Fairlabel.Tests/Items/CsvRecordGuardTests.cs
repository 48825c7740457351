using Fairlabel.Items;

namespace Fairlabel.Tests.Items;

public sealed class CsvRecordGuardTests
{
    static string ReadAll(string text, int max) => new CsvRecordGuard(new StringReader(text), max).ReadToEnd();

    [Fact]
    public void Records_within_the_limit_pass_unchanged()
    {
        const string text = "id,text\r\na1,\"two\nlines\"\ra2,x\n";
        Assert.Equal(text, ReadAll(text, 20));
    }

    [Fact]
    public void A_long_line_is_stopped_naming_the_line_it_starts_on()
    {
        var e = Assert.Throws<RecordTooLongException>(() => ReadAll("id,text\na1,x\na2," + new string('y', 100) + "\n", 20));
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void A_quoted_line_break_continues_the_record_so_short_lines_add_up()
    {
        var record = "a1,\"" + string.Join("\n", Enumerable.Repeat("0123456789", 5)) + "\"\n";
        var e = Assert.Throws<RecordTooLongException>(() => ReadAll("id,text\r\n" + record, 30));
        Assert.Equal(2, e.Line);
        Assert.Equal("id,text\n" + record, ReadAll("id,text\n" + record, 60));
    }

    [Fact]
    public void Lone_carriage_returns_end_records_and_count_as_lines()
    {
        var e = Assert.Throws<RecordTooLongException>(() => ReadAll("id\ra\rb\r" + new string('z', 50), 20));
        Assert.Equal(4, e.Line);
    }
}
