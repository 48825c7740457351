using BenchmarkDotNet.Running;
using Fairlabel.Quality.Bench;

// `-- table` prints the quick Fairlabel vs crowd-kit comparison; anything else goes to BenchmarkDotNet.
if (args is ["table", ..])
{
    ComparisonTable.Print(Console.Out);
    return 0;
}

if (args is ["dsphases", var dsName])
{
    DsPhases.Run(dsName);
    return 0;
}

if (args is ["dsstats", var statsName])
{
    DsStats.Run(statsName);
    return 0;
}

if (args is ["profile", ..])
{
    Profile.Print(Console.Out, checksums: args is [_, "checksums", ..]);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Workloads).Assembly).Run(args);
return 0;
