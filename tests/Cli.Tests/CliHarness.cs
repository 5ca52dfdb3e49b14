namespace InternetIdentity.Cli.Tests;

/// <summary>Runs `iinet` in-process and captures its exit code, standard output and standard error.</summary>
internal static class CliHarness
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string Line => Output.Trim();
    }

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }
}
