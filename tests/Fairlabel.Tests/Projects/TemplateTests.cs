using System.Text.Json;
using Fairlabel.Demo;
using Fairlabel.Infrastructure;
using Fairlabel.Projects;

namespace Fairlabel.Tests.Projects;

public sealed class TemplateTests
{
    static TaskTemplate Parse(string json, out FieldErrors errors)
    {
        errors = new FieldErrors();
        return TemplateParser.Parse(JsonDocument.Parse(json).RootElement, errors)!;
    }

    static FieldErrors Check(TaskTemplate template, string answer)
    {
        var errors = new FieldErrors();
        AnswerValidator.Validate(template, JsonDocument.Parse(answer).RootElement, errors);
        return errors;
    }

    [Fact]
    public void The_demo_templates_are_valid()
    {
        Assert.NotNull(Parse(DemoSeeder.ComparisonTemplate, out var e1));
        Assert.False(e1.Any);
        Assert.NotNull(Parse(DemoSeeder.TicketsTemplate, out var e2));
        Assert.False(e2.Any);
    }

    [Theory]
    [InlineData("""[]""", "template")]
    [InlineData("""{"fields": [], "questions": []}""", "template.questions")]
    [InlineData("""{"fields": [{"id": "a", "type": "side_by_side", "sources": ["x"]}], "questions": [{"id": "q", "type": "rating", "prompt": "p"}]}""", "template.fields[0].sources")]
    [InlineData("""{"fields": [{"id": "A", "type": "text", "source": "x"}], "questions": [{"id": "q", "type": "rating", "prompt": "p"}]}""", "template.fields[0].id")]
    [InlineData("""{"fields": [], "questions": [{"id": "q", "type": "rating", "prompt": "p", "scale": 11}]}""", "template.questions[0].scale")]
    [InlineData("""{"fields": [], "questions": [{"id": "q", "type": "multiple_choice", "prompt": "p", "options": ["a", "a"]}]}""", "template.questions[0].options[1].value")]
    [InlineData("""{"fields": [], "questions": [{"id": "q", "type": "free_text"}]}""", "template.questions[0].prompt")]
    public void Template_errors_name_the_path(string json, string path)
    {
        Parse(json, out var errors);
        Assert.Contains(errors.All, e => e.Path == path);
    }

    [Fact]
    public void Pairwise_answers_need_a_choice_and_a_strength_unless_tied()
    {
        var template = Parse(DemoSeeder.ComparisonTemplate, out _);
        Assert.False(Check(template, """{"preference": {"choice": "A", "strength": 2}}""").Any);
        Assert.False(Check(template, """{"preference": {"choice": "tie"}}""").Any);
        Assert.False(Check(template, """{"preference": {"choice": "B", "strength": 3, "rationale": "B cites a source"}}""").Any);
        Assert.Contains(Check(template, """{"preference": {"choice": "A"}}""").All, e => e.Path == "answer.preference.strength");
        Assert.Contains(Check(template, """{"preference": {"choice": "C", "strength": 1}}""").All, e => e.Path == "answer.preference.choice");
        Assert.Contains(Check(template, """{"preference": {"choice": "A", "strength": 4}}""").All, e => e.Path == "answer.preference.strength");
        var longRationale = "{\"preference\": {\"choice\": \"A\", \"strength\": 1, \"rationale\": \"" + new string('x', 1001) + "\"}}";
        Assert.Contains(Check(template, longRationale).All,
            e => e.Path == "answer.preference.rationale");
    }

    [Fact]
    public void Multiple_choice_rating_and_free_text_are_checked()
    {
        var template = Parse("""
            {"fields": [], "questions": [
              {"id": "tags", "type": "multiple_choice", "prompt": "Tags", "options": ["a", "b", "c"], "maxSelected": 2},
              {"id": "stars", "type": "rating", "prompt": "Stars", "scale": 5},
              {"id": "why", "type": "free_text", "prompt": "Why", "minLength": 3, "maxLength": 10}]}
            """, out _);
        Assert.False(Check(template, """{"tags": ["a", "c"], "stars": 5, "why": "because"}""").Any);
        var errors = Check(template, """{"tags": ["a", "b", "c"], "stars": 6, "why": "no"}""");
        Assert.Equal(["answer.stars", "answer.tags", "answer.why"], errors.All.Select(e => e.Path).Order().ToArray());
        Assert.Contains(Check(template, """{"tags": ["a", "a"], "stars": 1, "why": "abc"}""").All, e => e.Path == "answer.tags");
        Assert.Contains(Check(template, """{"tags": [], "stars": 1, "why": "abc"}""").All, e => e.Path == "answer.tags");
    }

    [Fact]
    public void Categorical_labels_come_from_choice_rating_and_preference()
    {
        var template = Parse(DemoSeeder.ComparisonTemplate, out _);
        var answer = JsonDocument.Parse("""{"preference": {"choice": "B", "strength": 2}}""").RootElement;
        Assert.Equal("B", AnswerValidator.CategoricalLabel(template.Questions[0], answer));
    }
}
