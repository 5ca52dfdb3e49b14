using BenchmarkDotNet.Running;

namespace InternetIdentity.ThresholdSigning.Benchmarks;

internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
