using System.CommandLine;
using InternetIdentity.Replica.Genesis;

namespace InternetIdentity.Cli;

/// <summary>`iinet genesis`: creates a subnet's keys and writes one configuration file per replica.</summary>
internal static class GenesisCommand
{
    public static Command Create()
    {
        var replicas = new Option<int>("--replicas") { Description = "number of replicas n (n = 3f+1 tolerates f faults)", Required = true };
        var output = new Option<string>("--out") { Description = "directory for node-<i>.json (created if missing)", Required = true };
        var basePort = new Option<int>("--base-port")
        {
            Description = "replica i serves HTTP on P+i and Akka on P+n+i", DefaultValueFactory = _ => 4943,
        };
        var host = new Option<string>("--host") { Description = "host name or address of every replica", DefaultValueFactory = _ => "127.0.0.1" };
        var cmd = new Command("genesis", "create a subnet: node keys, threshold key shares from a verifiable dealing, peers; one JSON file per replica")
        {
            replicas, output, basePort, host,
        };
        cmd.SetAction(r =>
        {
            int n = r.GetValue(replicas);
            int port = r.GetValue(basePort);
            if (n is < 1 or > 100)
            {
                throw new CliInputException($"--replicas: {n} is not between 1 and 100");
            }

            if (port < 1 || port + 2 * n - 1 > 65535)
            {
                throw new CliInputException($"--base-port: ports {port}..{port + 2 * n - 1} are not all valid port numbers");
            }

            string dir = r.GetValue(output)!;
            if (File.Exists(dir))
            {
                throw new CliInputException($"--out: {dir} is a file, not a directory");
            }

            IReadOnlyList<GenesisConfig> configs = GenesisBuilder.Create(n, r.GetValue(host)!, port);
            IReadOnlyList<string> paths = GenesisBuilder.Write(configs, dir);
            TextWriter o = r.InvocationConfiguration.Output;
            o.WriteLine("subnet_id " + configs[0].SubnetId);
            o.WriteLine("root_key " + Convert.ToHexStringLower(configs[0].RootKeyDer));
            foreach (GenesisConfig c in configs)
            {
                o.WriteLine($"node {c.NodeIndex} {c.Self.NodeId} http {c.Self.Host}:{c.Self.HttpPort} akka {c.Self.Host}:{c.Self.AkkaPort} {paths[c.NodeIndex]}");
            }

            return ExitCodes.Success;
        });
        return cmd;
    }
}
