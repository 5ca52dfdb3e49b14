using BenchmarkDotNet.Running;

namespace InternetIdentity.CanisterRuntime.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        if (args is ["--probe", ..])
        {
            Probe.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20);
            return;
        }

        if (args is ["--query-probe", string wasm, string method, ..])
        {
            QueryProbe.Run(wasm, method, args.Length > 3 ? args[3] : null);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
