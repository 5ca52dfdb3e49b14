using System.Globalization;
using BenchmarkDotNet.Running;
using InternetIdentity.ThresholdSigning.Fields.Native;

namespace InternetIdentity.ThresholdSigning.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        // `--managed-fp` (first) keeps the managed F_p kernels, to compare them with the native ones in one sitting; it
        // must be set before the first F_p operation.
        if (args.Length > 0 && args[0] == "--managed-fp")
        {
            AppContext.SetSwitch(FpKernels.ManagedSwitch, true);
            args = args[1..];
        }

        Console.Error.WriteLine($"F_p kernels: {(FpKernels.IsNative ? "native x86-64" : "managed")}");
        if (args.Length > 0 && args[0] == "--probe")
        {
            Probe.Run(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1, args.Length > 2 ? args[2] : null);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
