using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using InternetIdentity.Cli.Chaos;

namespace InternetIdentity.Cli;

/// <summary>`iinet chaos`: a multi-process subnet under II load and a seeded schedule of faults; exit 1 on loss, divergence or stall.</summary>
internal static class ChaosCommand
{
    public static Command Create()
    {
        var replicas = new Option<int>("--replicas") { Description = "number of `iinet node` processes n", DefaultValueFactory = _ => 4 };
        var byzantine = new Option<int>("--byzantine") { Description = "how many of them (the last) run with `--byzantine MODE`, modes in turn" };
        var duration = new Option<int>("--duration") { Description = "seconds of load (faults happen within it)", DefaultValueFactory = _ => 60 };
        var nemesis = new Option<string>("--nemesis")
        {
            Description = "fault kinds to draw from, comma-separated: kill,pause,partition,restart,wipe,clock", DefaultValueFactory = _ => "kill,pause,partition,restart,wipe,clock",
        };
        var seed = new Option<int>("--seed") { Description = "seed of the fault schedule and the load (the same seed, the same schedule)", DefaultValueFactory = _ => 1 };
        var load = new Option<double>("--load") { Description = "II operations per second (registrations, devices, delegations)", DefaultValueFactory = _ => 5 };
        Option<string?> postgres = StorageOptions.Postgres();
        var output = new Option<string?>("--out") { Description = "directory for genesis, logs, summary.json, report.md and heights.svg (default: a new temporary one)" };
        var basePort = new Option<int>("--base-port")
        {
            Description = "first of 3n loopback ports: HTTP, the proxies (what genesis lists) and the replicas' own transport", DefaultValueFactory = _ => 24943,
        };
        var stall = new Option<int>("--stall-bound") { Description = "seconds a replica may take to catch up after a heal before it is a stall", DefaultValueFactory = _ => 60 };
        var cmd = new Command("chaos", "run n `iinet node` processes under II load and a seeded schedule of faults (kill -9, SIGSTOP, partitions, restarts, wiped data, clock skew); check that nothing acknowledged is lost")
        {
            replicas, byzantine, duration, nemesis, seed, load, postgres, output, basePort, stall,
        };
        cmd.SetAction(async (r, ct) =>
        {
            int n = r.GetValue(replicas);
            if (n is < 1 or > 100)
            {
                throw new CliInputException($"--replicas: {n} is not between 1 and 100");
            }

            int k = r.GetValue(byzantine);
            if (k < 0 || k >= n)
            {
                throw new CliInputException($"--byzantine: {k} is not between 0 and n-1 = {n - 1}");
            }

            if (r.GetValue(duration) < 1 || r.GetValue(load) <= 0 || r.GetValue(stall) < 1)
            {
                throw new CliInputException("--duration, --load and --stall-bound must be positive");
            }

            string dir = r.GetValue(output) ?? Directory.CreateTempSubdirectory("iinet-chaos-").FullName;
            if (File.Exists(dir))
            {
                throw new CliInputException($"--out: {dir} is a file, not a directory");
            }

            var settings = new ChaosSettings
            {
                Replicas = n,
                Byzantine = k,
                Duration = TimeSpan.FromSeconds(r.GetValue(duration)),
                Nemeses = Fault.ParseKinds(r.GetValue(nemesis)!),
                Seed = r.GetValue(seed),
                LoadPerSecond = r.GetValue(load),
                Postgres = r.GetValue(postgres),
                OutDir = Path.GetFullPath(dir),
                BasePort = r.GetValue(basePort),
                StallBound = TimeSpan.FromSeconds(r.GetValue(stall)),
            };
            TextWriter o = r.InvocationConfiguration.Output;
            TextWriter e = r.InvocationConfiguration.Error;
            using var stop = new StopSignals(ct);
            ChaosSummary summary;
            try
            {
                summary = await ChaosRun.RunAsync(settings, e, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
            {
                e.WriteLine("chaos: interrupted; every replica process was killed");
                return 130; // as a shell reports a command stopped by Ctrl-C: nothing was checked

            }
            catch (ChaosStartException x)
            {
                e.WriteLine("error: " + x.Message);
                return ExitCodes.InternalError;
            }

            string report = ChaosReport.Write(summary, "iinet chaos " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
            o.WriteLine(ChaosReport.Json(summary).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chaos: report {report}, plot {Path.Combine(settings.OutDir, "heights.svg")}"));
            return summary.Failures.Count == 0 ? ExitCodes.Success : ExitCodes.Invalid;
        });
        return cmd;
    }
}
