namespace InternetIdentity.Cli.Tests;

/// <summary>Runs `iinet` in-process and captures its exit code, standard output and standard error.</summary>
internal static class CliHarness
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string Line => Output.Trim();
    }

    /// <summary>A new temporary directory holding a 4-replica genesis on a free block of ports (for `iinet node` processes).</summary>
    public static string MakeGenesisDir(string prefix)
    {
        string dir = Directory.CreateTempSubdirectory(prefix).FullName;
        Result genesis = Run("genesis", "--replicas", "4", "--out", dir,
            "--base-port", TestSupport.FreePorts.FindConsecutive(8).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(genesis.ExitCode, Is.Zero, genesis.Error);
        return dir;
    }

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }
}
