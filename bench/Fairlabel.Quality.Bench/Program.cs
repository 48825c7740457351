using BenchmarkDotNet.Running;
using Fairlabel.Quality.Bench;

// `-- table` prints the quick Fairlabel vs crowd-kit comparison; `-- profile [checksums]` the time per
// phase (and bit-exact result fingerprints); `-- loop DATASET WHAT` one phase for perf; `-- crowd-csv
// FILE` writes the 1M-answer crowd as an answers file (bench/aggregate-cli.sh); anything else goes to
// BenchmarkDotNet.
if (args is ["crowd-csv", var crowdFile])
{
    CrowdFile.Write(Workloads.LargeCrowd.Value.Answers, crowdFile);
    return 0;
}

if (args is ["table", ..])
{
    ComparisonTable.Print(Console.Out);
    return 0;
}

if (args is ["loop", var loopName, var loopWhat])
{
    MapLoop.Run(loopName, loopWhat);
    return 0;
}

if (args is ["profile", ..])
{
    Profile.Print(Console.Out, checksums: args is [_, "checksums", ..]);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Workloads).Assembly).Run(args);
return 0;
