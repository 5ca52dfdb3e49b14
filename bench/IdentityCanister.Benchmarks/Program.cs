using BenchmarkDotNet.Running;

namespace InternetIdentity.IdentityCanister.Benchmarks;

internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
