using Fairlabel.Cli.Quality;

namespace Fairlabel.Quality.Tests;

/// <summary>A categorical benchdata set and crowd-kit 1.4.1's accuracy and seconds per method (benchdata README).</summary>
public sealed record CategoricalDataset(string Name, string AnswerFile, ColumnNames Columns, string TruthFile, string? TruthItem, string? TruthColumn,
    IReadOnlyDictionary<string, double> CrowdKitAccuracy, IReadOnlyDictionary<string, double> CrowdKitSeconds)
{
    public CrowdAnswers LoadAnswers() => InputFiles.ReadCategorical(BenchData.PathOf(AnswerFile), Columns);

    public Dictionary<string, string> LoadTruth() => InputFiles.ReadTruth(BenchData.PathOf(TruthFile), TruthItem, TruthColumn);

    public override string ToString() => Name;
}

/// <summary>
/// The benchmark data the repository ships (tests/Fairlabel.Quality.Tests/BenchData, gzipped;
/// its README gives each file's source and licence) and the reference figures published for it.
/// Linked into the benchmark project and the executable's tests, so all read one catalogue.
/// </summary>
public static class BenchData
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static CategoricalDataset Zheng(string folder, double[] accuracy, double[] seconds) =>
        new(folder, $"{folder}/answer.csv.gz", new ColumnNames(), $"{folder}/truth.csv.gz", null, null, Figures(accuracy), Figures(seconds));

    // The Snow et al. files carry the gold on every row: item orig_id, answer response, truth gold.
    private static CategoricalDataset Snow(string folder, string file, double[] accuracy, double[] seconds) =>
        new(folder, $"{folder}/{file}.gz", new ColumnNames("orig_id", "!amt_worker_ids", "response"), $"{folder}/{file}.gz", "orig_id", "gold", Figures(accuracy), Figures(seconds));

    private static Dictionary<string, double> Figures(double[] perMethod)
    {
        var figures = new Dictionary<string, double>();
        string[] methods = ["mv", "wawa", "ds", "glad", "mace"];
        for (var m = 0; m < methods.Length; m++)
        {
            if (!double.IsNaN(perMethod[m]))
            {
                figures[methods[m]] = perMethod[m];
            }
        }

        return figures;
    }

    private const double None = double.NaN;

    /// <summary>Order of the figures in each row: MV, Wawa, Dawid–Skene, GLAD, MACE.</summary>
    public static IReadOnlyList<CategoricalDataset> Categorical { get; } =
    [
        Zheng("zheng2017_d_product", [0.8966, 0.8966, 0.9397, 0.9286, 0.9290], [0.12, 0.10, 3.91, 41.0, 19.8]),
        Zheng("zheng2017_d_possent", [0.9320, 0.9510, 0.9600, 0.9480, 0.9500], [0.03, 0.08, 0.17, 7.42, 9.47]),
        Zheng("zheng2017_s_rel", [0.5357, 0.5578, 0.6173, 0.5646, 0.5009], [0.11, 0.24, 1.77, 66.4, 108.7]),
        Zheng("zheng2017_s_adult", [0.7628, 0.7658, 0.7658, 0.7598, 0.7628], [0.18, 0.31, 0.21, 94.6, 55.9]),
        Snow("snow2008_rte", "rte.standardized.tsv", [0.9187, 0.9213, 0.9275, 0.9250, 0.9250], [None, None, 0.12, 6.2, 5.4]),
        Snow("snow2008_temp", "temp.standardized.tsv", [0.9394, 0.9437, 0.9416, 0.9351, 0.9394], [None, None, 0.08, 3.5, 4.6]),
        Snow("snow2008_wsd", "wsd.standardized.tsv", [0.9944, 0.9944, 0.9944, 0.9944, 0.9944], [None, None, 0.05, 0.6, 4.5]),
    ];

    public static CategoricalDataset Get(string name)
    {
        foreach (var dataset in Categorical)
        {
            if (dataset.Name == name)
            {
                return dataset;
            }
        }

        throw new ArgumentException($"No categorical dataset '{name}'.", nameof(name));
    }

    // Found by walking up from the test binaries to the repository's Fairlabel.slnx.
    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fairlabel.slnx")))
            {
                var root = Path.Combine(dir.FullName, "tests", "Fairlabel.Quality.Tests", "BenchData");
                return Directory.Exists(root) ? root : throw new DirectoryNotFoundException($"Benchmark data not found at {root}.");
            }
        }

        throw new DirectoryNotFoundException($"No Fairlabel.slnx above {AppContext.BaseDirectory}.");
    }
}
