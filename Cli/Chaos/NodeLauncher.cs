using System.Reflection;

namespace InternetIdentity.Cli.Chaos;

/// <summary>How to start an `iinet` child process: an executable and the arguments before the verb.</summary>
/// <param name="FileName">The executable (the apphost, or the dotnet host).</param>
/// <param name="Prefix">Arguments before the verb (the iinet.dll path under the dotnet host).</param>
internal sealed record NodeLauncher(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>The executable running now: `iinet` itself, or `dotnet iinet.dll`.</summary>
    public static NodeLauncher Current()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        string dll = typeof(NodeLauncher).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" || !string.Equals(Path.GetFileNameWithoutExtension(process), Path.GetFileNameWithoutExtension(dll), StringComparison.Ordinal)
            ? new NodeLauncher(DotnetHost(process), [dll])
            : new NodeLauncher(process, []);
    }

    // Under a test host the process is not dotnet itself; the host sits beside the runtime (DOTNET_HOST_PATH when set).
    private static string DotnetHost(string process)
    {
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            return process;
        }

        string? fromEnv = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv))
        {
            return fromEnv;
        }

        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string? root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(runtime)));
        string candidate = root is null ? "dotnet" : Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }

    /// <summary>For messages: the command line of a verb.</summary>
    public string Describe(IEnumerable<string> args) => string.Join(' ', new[] { FileName }.Concat(Prefix).Concat(args));

    /// <summary>The assembly's informational version, for reports.</summary>
    public static string Version => typeof(NodeLauncher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
}
