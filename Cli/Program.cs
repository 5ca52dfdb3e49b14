using System.CommandLine;

namespace InternetIdentity.Cli;

internal static class Program
{
    private static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Parses and runs a command line with the given output streams (tests run verbs in-process this way).</summary>
    internal static int Run(string[] args, TextWriter output, TextWriter error)
    {
        RootCommand root = BuildRoot();
        ParseResult parsed = root.Parse(args);
        // No ProcessTerminationTimeout: System.CommandLine would exit with 130 two seconds after Ctrl-C; the verbs that run
        // replicas handle Ctrl-C and SIGTERM themselves (StopSignals) and stop their replicas cleanly, however long it takes.
        var configuration = new InvocationConfiguration
        {
            Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
        };
        if (parsed.Errors.Count > 0 && !IsHelpRequest(args))
        {
            // Usage mistakes are malformed input: exit 2 with one line, not System.CommandLine's exit 1.
            error.WriteLine("error: " + parsed.Errors[0].Message + " (see --help)");
            return ExitCodes.Malformed;
        }

        try
        {
            return parsed.Invoke(configuration);
        }
        catch (Exception e) when (e is CliInputException or FormatException or ArgumentException)
        {
            error.WriteLine("error: " + e.Message);
            return ExitCodes.Malformed;
        }
        catch (Exception e)
        {
            // A bug, not bad input; still one line, never a stack trace.
            error.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.InternalError;
        }
    }

    private static bool IsHelpRequest(string[] args) => args.Any(a => a is "--help" or "-h" or "-?");

    internal static RootCommand BuildRoot()
    {
        var root = new RootCommand("iinet: a local Internet Computer subnet running Internet Identity");
        root.Subcommands.Add(BlsCommand.Create());
        root.Subcommands.Add(CertCommand.Create());
        root.Subcommands.Add(PrincipalCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(GenesisCommand.Create());
        root.Subcommands.Add(UpCommand.Create());
        root.Subcommands.Add(NodeCommand.Create());
        root.Subcommands.Add(TopCommand.Create());
        root.Subcommands.Add(PocketIcCommand.Create());
        root.Subcommands.Add(DeployCommand.Create());
        root.Subcommands.Add(ChaosCommand.Create());
        return root;
    }
}
