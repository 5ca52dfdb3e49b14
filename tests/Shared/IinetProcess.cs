using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace InternetIdentity.TestSupport;

/// <summary>
/// A built `iinet` verb running as a child process (`dotnet Cli/bin/&lt;configuration&gt;/net10.0/iinet.dll ...`,
/// the configuration the tests were built with). Captures standard output and error line by line, waits for lines,
/// stops with SIGINT like Ctrl-C, and kills the process tree on dispose if it is still running.
/// </summary>
internal sealed class IinetProcess : IAsyncDisposable
{
    /// <summary>Generous: a loaded 2-core machine builds, JITs and starts a subnet slowly.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    private static readonly object s_buildLock = new();
    private readonly Process _process;
    private readonly object _gate = new();
    private readonly List<(bool Error, string Text)> _lines = [];
    private TaskCompletionSource _changed = NewSignal();
    private bool _stdoutClosed;
    private bool _stderrClosed;

    private IinetProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
    }

    /// <summary>The command line, for failure messages.</summary>
    public string CommandLine { get; }

    /// <summary>The operating-system process id.</summary>
    public int Id => _process.Id;

    /// <summary>The base port passed as --port (set by <see cref="StartUpAsync"/>; 0 otherwise).</summary>
    public int Port { get; private set; }

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once the process has exited.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Standard output so far.</summary>
    public string StandardOutput => Join(error: false);

    /// <summary>Standard error so far.</summary>
    public string StandardError => Join(error: true);

    /// <summary>Both streams so far, with the command line, as a failure message shows them.</summary>
    public string Transcript
    {
        get
        {
            var sb = new StringBuilder();
            sb.Append("$ ").AppendLine(CommandLine);
            sb.AppendLine(ExitCode is int code ? $"(exited {code})" : "(running)");
            sb.AppendLine("--- stdout ---").Append(StandardOutput);
            sb.AppendLine("--- stderr ---").Append(StandardError);
            return sb.ToString();
        }
    }

    /// <summary>Starts `iinet` with <paramref name="args"/> (building the Cli first if its output is missing).</summary>
    public static IinetProcess Start(params string[] args)
    {
        string dll = CliDll();
        var psi = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var child = new IinetProcess(process, "iinet " + string.Join(' ', args));
        process.OutputDataReceived += (_, e) => child.OnLine(error: false, e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(error: true, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Starts `iinet up --port P --replicas n --data-dir DIR` on free loopback ports (HTTP P..P+n-1 and the replica
    /// transport P+n..P+2n-1) and waits for its ready line. When another process takes a port first, tries new ports.
    /// Pass <paramref name="port"/> to restart a subnet on the ports its data directory was created with (no retry).
    /// </summary>
    public static async Task<IinetProcess> StartUpAsync(string dataDir, int replicas = 4, int? port = null, TimeSpan? readyTimeout = null,
        params string[] extraArgs)
    {
        var failures = new StringBuilder();
        bool fresh = !Directory.Exists(dataDir) || !Directory.EnumerateFileSystemEntries(dataDir).Any();
        for (int attempt = 1; attempt <= (port is null ? 3 : 1); attempt++)
        {
            if (attempt > 1 && fresh)
            {
                // The failed attempt wrote a subnet for the taken ports; the retry creates one for its own.
                Directory.Delete(dataDir, recursive: true);
                Directory.CreateDirectory(dataDir);
            }

            int basePort = port ?? FreePorts.FindConsecutive(2 * replicas);
            string[] args = ["up", "--port", basePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--replicas", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", dataDir, .. extraArgs];
            IinetProcess up = Start(args);
            up.Port = basePort;
            Match? ready;
            try
            {
                ready = await up.TryWaitForLineAsync(ReadyLine(), readyTimeout ?? DefaultTimeout).ConfigureAwait(false);
            }
            catch
            {
                await up.DisposeAsync().ConfigureAwait(false); // the timeout's Assert.Fail: release the process, not only kill it
                throw;
            }

            if (ready is not null)
            {
                return up;
            }

            // Exited before ready: retry only if a port was taken between our check and its bind.
            failures.AppendLine(up.Transcript);
            bool portTaken = IsBindFailure(up.StandardError + up.StandardOutput);
            await up.DisposeAsync().ConfigureAwait(false);
            if (!portTaken)
            {
                break;
            }
        }

        Assert.Fail("iinet up did not become ready:\n" + failures);
        throw new UnreachableException();
    }

    /// <summary>Waits for a line (either stream) matching <paramref name="pattern"/>; fails with the transcript on exit or timeout.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan? timeout = null)
    {
        Match? m = await TryWaitForLineAsync(pattern, timeout ?? DefaultTimeout).ConfigureAwait(false);
        if (m is null)
        {
            Assert.Fail($"iinet exited before printing a line matching /{pattern}/:\n{Transcript}");
        }

        return m!;
    }

    /// <summary>Sends SIGINT (Ctrl-C) and waits for the exit; kills the tree and fails if it does not exit in time.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            Interrupt();
        }

        return await WaitForExitAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>Sends SIGINT, as Ctrl-C in a terminal does.</summary>
    public void Interrupt()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("SIGINT to a child process is POSIX-only");
        }

        if (Kill(_process.Id, SigInt) != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGINT) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for the exit (and the end of both streams); kills the tree and fails on timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree();
            Assert.Fail($"iinet did not exit within {(timeout ?? DefaultTimeout).TotalSeconds:0} s; killed:\n{Transcript}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the process tree if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        KillTree();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Nothing more to do: the kill was sent and the test already has its answer.
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
    }

    private const int SigInt = 2;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>iinet's own message for a taken HTTP port, or the OS's (Kestrel, the replica transport).</summary>
    private static bool IsBindFailure(string output) =>
        output.Contains("cannot listen", StringComparison.Ordinal)
        || output.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
        || output.Contains("failed to bind", StringComparison.OrdinalIgnoreCase);

    private static Regex ReadyLine() => new("^ready\\b", RegexOptions.CultureInvariant);

    private async Task<Match?> TryWaitForLineAsync(Regex pattern, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        int next = 0;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                for (; next < _lines.Count; next++)
                {
                    Match m = pattern.Match(_lines[next].Text);
                    if (m.Success)
                    {
                        return m;
                    }
                }

                if (_stdoutClosed && _stderrClosed)
                {
                    break;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                KillTree();
                Assert.Fail($"no line matching /{pattern}/ within {timeout.TotalSeconds:0} s; killed:\n{Transcript}");
            }
        }

        // Both streams ended: the process is exiting; let it finish so ExitCode is set for the transcript.
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree();
        }

        return null;
    }

    private void OnLine(bool error, string? text)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (text is null)
            {
                if (error)
                {
                    _stderrClosed = true;
                }
                else
                {
                    _stdoutClosed = true;
                }
            }
            else
            {
                _lines.Add((error, text));
            }

            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
    }

    private string Join(bool error)
    {
        var sb = new StringBuilder();
        lock (_gate)
        {
            foreach ((bool e, string text) in _lines)
            {
                if (e == error)
                {
                    sb.AppendLine(text);
                }
            }
        }

        return sb.ToString();
    }

    private void KillTree()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Cli/bin/&lt;configuration&gt;/net10.0/iinet.dll, built on demand with the tests' configuration.</summary>
    internal static string CliDll()
    {
        string configuration = typeof(IinetProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string framework = "net" + Environment.Version.ToString(2);
        string dll = Path.Combine(RepoPaths.Root, "Cli", "bin", configuration, framework, "iinet.dll");
        lock (s_buildLock)
        {
            if (!File.Exists(dll))
            {
                Build(configuration);
            }
        }

        if (!File.Exists(dll))
        {
            Assert.Fail($"{dll} is missing after `dotnet build Cli -c {configuration}`");
        }

        return dll;
    }

    private static void Build(string configuration)
    {
        var psi = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "build", Path.Combine("Cli", "Cli.csproj"), "-c", configuration, "--nologo", "-v", "q" })
        {
            psi.ArgumentList.Add(a);
        }

        using Process build = Process.Start(psi)!;
        Task<string> stdout = build.StandardOutput.ReadToEndAsync();
        Task<string> stderr = build.StandardError.ReadToEndAsync();
        if (!build.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            build.Kill(entireProcessTree: true);
            Assert.Fail("dotnet build Cli did not finish within 10 minutes");
        }

        if (build.ExitCode != 0)
        {
            Assert.Fail($"dotnet build Cli -c {configuration} exited {build.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        }
    }

    /// <summary>The dotnet host running these tests (DOTNET_HOST_PATH, else the one owning this runtime).</summary>
    internal static string DotnetHost()
    {
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        string? fromEnv = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv))
        {
            return fromEnv;
        }

        // The runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/; the host is <root>/dotnet.
        string runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
        string? root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(runtimeDir))));
        string candidate = root is null ? exe : Path.Combine(root, exe);
        return File.Exists(candidate) ? candidate : exe;
    }
}
