using Fairlabel.Cli;
using Fairlabel.Quality.Tests;

namespace Fairlabel.Tests.Cli;

/// <summary>The aggregate, rank and agreement verbs, called the way the fairlabel executable calls them.</summary>
public sealed class QualityVerbsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fairlabel-quality-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Aggregate_with_truth_ends_with_the_accuracy_line()
    {
        var d = BenchData.Get("zheng2017_d_product");
        var output = Path.Combine(_dir, "labels.csv");

        var (code, stdout, _) = Run("aggregate", "--method", "ds", "--input", BenchData.PathOf(d.AnswerFile), "--truth", BenchData.PathOf(d.TruthFile), "--output", output);

        Assert.Equal(0, code);
        Assert.Equal("accuracy: 0.9397 (8315 gold items)", stdout.TrimEnd().Split('\n')[^1]);
        var lines = File.ReadAllLines(output);
        Assert.Equal("item,label,confidence", lines[0]);
        Assert.Equal(8316, lines.Length);
    }

    [Fact]
    public void Aggregate_reads_tsv_with_named_columns()
    {
        var d = BenchData.Get("snow2008_rte");

        var (code, stdout, _) = Run("aggregate", "--method", "mv", "--input", BenchData.PathOf(d.AnswerFile),
            "--item-column", "orig_id", "--worker-column", "!amt_worker_ids", "--answer-column", "response",
            "--truth", BenchData.PathOf(d.AnswerFile), "--truth-item-column", "orig_id", "--truth-column", "gold");

        Assert.Equal(0, code);
        Assert.Equal("accuracy: 0.9187 (800 gold items)", stdout.TrimEnd().Split('\n')[^1]);
        Assert.StartsWith("item,label,confidence\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Numeric_aggregate_ends_with_mae_and_rmse()
    {
        var (code, stdout, _) = Run("aggregate", "--method", "mean", "--input", BenchData.PathOf("zheng2017_n_emotion/answer.csv.gz"),
            "--truth", BenchData.PathOf("zheng2017_n_emotion/truth.csv.gz"), "--output", Path.Combine(_dir, "values.csv"));

        Assert.Equal(0, code);
        Assert.Equal("mae: 12.0220 rmse: 17.8353 (700 gold items)", stdout.TrimEnd());
    }

    [Fact]
    public void Rank_writes_a_leaderboard_best_first()
    {
        var output = Path.Combine(_dir, "scores.csv");

        var (code, _, _) = Run("rank", "--method", "bt", "--input", BenchData.PathOf("llmfao_pairwise/crowd-comparisons.csv.gz"), "--output", output);

        Assert.Equal(0, code);
        var lines = File.ReadAllLines(output);
        Assert.Equal("item,score,rank", lines[0]);
        Assert.StartsWith("GPT 4,0.0412178736", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",1", lines[1], StringComparison.Ordinal);
        Assert.Equal(60, lines.Length);
    }

    [Fact]
    public void Rank_with_bootstrap_adds_interval_columns()
    {
        var (code, stdout, _) = Run("rank", "--method", "elo", "--input", BenchData.PathOf("llmfao_pairwise/crowd-comparisons.csv.gz"), "--bootstrap", "50", "--ties", "drop");

        Assert.Equal(0, code);
        Assert.StartsWith("item,score,rank,lower,upper\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Agreement_prints_the_metric()
    {
        var (code, stdout, _) = Run("agreement", "--metric", "alpha", "--level", "nominal", "--input", BenchData.PathOf("zheng2017_d_product/answer.csv.gz"));

        Assert.Equal(0, code);
        Assert.Equal("alpha (nominal): 0.157473 (8315 items, 176 workers, 24945 answers)", stdout.TrimEnd());
    }

    [Theory]
    [InlineData("fleiss", "fleiss kappa: ")]
    [InlineData("cohen", "cohen kappa (mean over ")]
    [InlineData("percent", "percent agreement: ")]
    public void Other_agreement_metrics_run(string metric, string prefix)
    {
        var (code, stdout, _) = Run("agreement", "--metric", metric, "--input", BenchData.PathOf("zheng2017_d_possent/answer.csv.gz"));

        Assert.Equal(0, code);
        Assert.StartsWith(prefix, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_row_is_reported_with_its_line_and_column()
    {
        var input = Write("answers.csv", "item,worker,answer\na,w1,x\nb,w2\n");

        var (code, _, stderr) = Run("aggregate", "--method", "mv", "--input", input);

        Assert.Equal(1, code);
        Assert.Contains("answers.csv: line 3, column 3:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_numeric_answer_for_a_numeric_method_names_line_and_column()
    {
        var input = Write("answers.tsv", "item\tworker\tanswer\na\tw1\t3.5\na\tw2\tlots\n");

        var (code, _, stderr) = Run("aggregate", "--method", "median", "--input", input);

        Assert.Equal(1, code);
        Assert.Contains("answers.tsv: line 3, column 3: expected a number, found 'lots'.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unclosed_quote_and_a_bad_winner_are_located()
    {
        var quoted = Write("quoted.csv", "item,worker,answer\na,w1,x\n\"b,w2,y\n");
        var winners = Write("pairs.csv", "left,right,winner\nm1,m2,left\nm1,m3,both\n");

        var (quoteCode, _, quoteError) = Run("aggregate", "--method", "mv", "--input", quoted);
        var (winnerCode, _, winnerError) = Run("rank", "--method", "bt", "--input", winners);

        Assert.Equal(1, quoteCode);
        Assert.Contains("quoted.csv: line 3, column 1: a quoted field is never closed.", quoteError, StringComparison.Ordinal);
        Assert.Equal(1, winnerCode);
        Assert.Contains("pairs.csv: line 3, column 3: winner must be left, right or tie, not 'both'.", winnerError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_named_column_is_reported_on_the_header_line()
    {
        var input = Write("answers.csv", "task,annotator,label\na,w1,x\n");

        var (code, _, stderr) = Run("aggregate", "--method", "mv", "--input", input, "--item-column", "item");

        Assert.Equal(1, code);
        Assert.Contains("answers.csv: line 1: no column named 'item'", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("classify")]
    [InlineData("aggregate", "--method", "zc", "--input", "x.csv")]
    [InlineData("aggregate", "--method", "mv")]
    [InlineData("aggregate", "--method", "mv", "--input", "missing-file.csv")]
    [InlineData("agreement", "--metric", "alpha", "--level", "cardinal", "--input", "x.csv")]
    [InlineData("rank", "--method", "bt", "--input", "x.csv", "--colour", "red")]
    public void Usage_errors_exit_with_code_2(params string[] args)
    {
        var (code, _, stderr) = Run(args);

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aggregate", "--method")]
    [InlineData("rank", "--ties")]
    [InlineData("agreement", "--level")]
    public void Each_verb_has_help_listing_its_options(string verb, string option)
    {
        var (code, stdout, stderr) = Run(verb, "--help");

        Assert.Equal(0, code);
        Assert.Contains(option, stdout, StringComparison.Ordinal);
        Assert.Contains("--input", stdout, StringComparison.Ordinal);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void A_usage_error_is_one_line_per_problem_and_a_pointer_to_help()
    {
        var input = Write("answers.csv", "item,worker,answer\na,w1,x\n");

        var (code, stdout, stderr) = Run("aggregate", "--method", "mv", "--input", input, "--colour", "red");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var lines = stderr.TrimEnd().Split('\n');
        Assert.All(lines[..^1], line => Assert.StartsWith("error: ", line, StringComparison.Ordinal));
        Assert.Contains("--colour", stderr, StringComparison.Ordinal);
        Assert.Equal("See 'fairlabel aggregate --help'.", lines[^1]);
    }

    [Fact]
    public void Quoted_cells_a_byte_order_mark_and_crlf_endings_are_read()
    {
        var input = Write("answers.csv", "\uFEFFitem,worker,answer\r\n\"a, the first\",w1,\"say \"\"yes\"\"\"\r\n\"a, the first\",w2,\"say \"\"yes\"\"\"\r\n");

        var (code, stdout, _) = Run("aggregate", "--method", "mv", "--input", input);

        Assert.Equal(0, code);
        Assert.Equal("item,label,confidence\n\"a, the first\",\"say \"\"yes\"\"\",1\n", stdout);
    }

    [Fact]
    public void Interval_alpha_on_text_labels_is_a_usage_error()
    {
        var input = Write("answers.csv", "item,worker,answer\na,w1,x\na,w2,y\n");

        var (code, _, stderr) = Run("agreement", "--metric", "alpha", "--level", "interval", "--input", input);

        Assert.Equal(2, code);
        Assert.Contains("needs numeric answers", stderr, StringComparison.Ordinal);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = QualityVerbs.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
