using System.CommandLine;

namespace InternetIdentity.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("iinet: a local Internet Computer subnet running Internet Identity");
        root.Subcommands.Add(BlsCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        return root.Parse(args).Invoke();
    }
}
