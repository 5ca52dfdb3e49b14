using System.Globalization;
using BenchmarkDotNet.Running;

namespace InternetIdentity.ThresholdSigning.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--probe")
        {
            Probe.Run(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1, args.Length > 2 ? args[2] : null);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
