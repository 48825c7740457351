using System.Text.Json;
using Fairlabel.Infrastructure;
using Fairlabel.Items;
using Fairlabel.Projects;

namespace Fairlabel.Tests.Items;

public sealed class ItemDataRulesTests
{
    static string? Problem(string fieldType, string json) =>
        ItemDataRules.ProblemWith(fieldType, JsonDocument.Parse(json).RootElement);

    const string Chat = """[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]""";

    [Theory]
    [InlineData(FieldTypes.Text, "\"text\"")]
    [InlineData(FieldTypes.Text, "\"\"")]
    [InlineData(FieldTypes.Markdown, "\"# title\"")]
    [InlineData(FieldTypes.Image, "\"https://example.org/cat.png\"")]
    [InlineData(FieldTypes.Url, "\"http://example.org/\"")]
    [InlineData(FieldTypes.Chat, Chat)]
    [InlineData(FieldTypes.SideBySide, "\"response\"")]
    [InlineData(FieldTypes.SideBySide, Chat)]
    public void What_a_field_can_show_passes(string fieldType, string json) => Assert.Null(Problem(fieldType, json));

    [Theory]
    [InlineData(FieldTypes.Text, "42", "must be text")]
    [InlineData(FieldTypes.Text, """{"a": 1}""", "must be text")]
    [InlineData(FieldTypes.Text, Chat, "must be text")]
    [InlineData(FieldTypes.Markdown, "null", "must be text")]
    [InlineData(FieldTypes.Image, "\"javascript:alert(1)\"", "http")]
    [InlineData(FieldTypes.Url, "\"not a link\"", "http")]
    [InlineData(FieldTypes.Chat, "\"hi\"", "must be a chat")]
    [InlineData(FieldTypes.Chat, """[{"role": "wizard", "content": "hi"}]""", "message 0")]
    [InlineData(FieldTypes.Chat, """[{"role": "user", "content": "hi"}, {"role": "user", "content": 3}]""", "message 1")]
    [InlineData(FieldTypes.SideBySide, "true", "must be text")]
    public void What_a_field_cannot_show_is_named(string fieldType, string json, string problem) =>
        Assert.Contains(problem, Problem(fieldType, json));

    [Fact]
    public void Every_key_the_template_reads_is_required_once()
    {
        var template = new TaskTemplate(
            [new TemplateField("prompt", FieldTypes.Text, null, ["prompt"]),
             new TemplateField("pair", FieldTypes.SideBySide, null, ["a", "b"]),
             new TemplateField("again", FieldTypes.Markdown, null, ["prompt"])], []);
        var errors = new List<LineError>();
        ItemDataRules.Check(ItemDataRules.KeysRead(template), JsonDocument.Parse("""{"a": "x", "extra": 1}""").RootElement, 7, errors);
        Assert.Equal([(7L, "data.prompt"), (7L, "data.b")], errors.Select(e => (e.Line, e.Field)));
    }
}
