using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In-process: BenchmarkDotNet's generated project would inherit this repository's warnings-as-errors and analyzers.
// Usage: dotnet run -c Release --project bench/Transmission.Benchmarks -- --filter '*'   (docs/performance.md)
var config = DefaultConfig.Instance
    // 3 warm-up and 15 measured iterations keep a whole run to minutes on a shared 2-core machine.
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(15))
    .WithArtifactsPath(Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "benchmarks"));
BenchmarkSwitcher.FromAssembly(typeof(Transmission.Benchmarks.BenchmarkFixture).Assembly).Run(args, config);
