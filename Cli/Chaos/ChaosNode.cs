using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace InternetIdentity.Cli.Chaos;

/// <summary>
/// One replica of a chaos network as an `iinet node` child process: started (on its data, reset, or with a skewed
/// clock), killed with SIGKILL, paused with SIGSTOP and continued, stopped with SIGTERM, its data wiped. Its output goes
/// to a log file; the last lines are kept for reports. Disposing kills it.
/// </summary>
internal sealed class ChaosNode : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int SigStop = 19;
    private const int SigCont = 18;
    private readonly NodeLauncher _launcher;
    private readonly IReadOnlyList<string> _extraArgs;
    private readonly Lock _gate = new();
    private readonly Queue<string> _tail = new();
    private Process? _process;
    private StreamWriter? _log;

    /// <summary>Replica <paramref name="index"/> from <paramref name="configPath"/>, listening on <paramref name="listenPort"/> behind its proxy.</summary>
    public ChaosNode(int index, NodeLauncher launcher, string configPath, string dataDir, int listenPort, string logPath,
        string? postgres, IReadOnlyList<string> extraArgs)
    {
        Index = index;
        _launcher = launcher;
        ConfigPath = configPath;
        DataDir = dataDir;
        ListenPort = listenPort;
        LogPath = logPath;
        Postgres = postgres;
        _extraArgs = extraArgs;
    }

    /// <summary>The replica index.</summary>
    public int Index { get; }

    /// <summary>Its genesis configuration file.</summary>
    public string ConfigPath { get; }

    /// <summary>Its SQLite data directory (unused with PostgreSQL).</summary>
    public string DataDir { get; }

    /// <summary>Where its transport listens (its proxy forwards here).</summary>
    public int ListenPort { get; }

    /// <summary>Its log file (every start appends).</summary>
    public string LogPath { get; }

    /// <summary>The PostgreSQL connection string, or null for SQLite.</summary>
    public string? Postgres { get; }

    /// <summary>Whether it is stopped by SIGSTOP now.</summary>
    public bool Paused { get; private set; }

    /// <summary>How many times it was started.</summary>
    public int Starts { get; private set; }

    /// <summary>The exit code of the last process, once it exited; null while it runs or before the first start.</summary>
    public int? ExitCode
    {
        get
        {
            Process? p = _process;
            return p is not null && p.HasExited ? p.ExitCode : null;
        }
    }

    /// <summary>Whether a process of it runs now.</summary>
    public bool Running => _process is { HasExited: false };

    /// <summary>The last lines it printed (both streams).</summary>
    public string Tail
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    /// <summary>Starts the process (it must not run).</summary>
    /// <param name="clockOffsetMs">Skews its clock.</param>
    /// <param name="reset">Passes --reset (a wipe on PostgreSQL).</param>
    public void Start(long clockOffsetMs = 0, bool reset = false)
    {
        if (Running)
        {
            throw new InvalidOperationException($"replica {Index} already runs");
        }

        // --parent-pid: the replica stops itself when this tool is gone, even after a SIGKILL that left no time to stop it.
        var args = new List<string>
        {
            "node", "--config", ConfigPath, "--transport-listen-port", ListenPort.ToString(CultureInfo.InvariantCulture),
            "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        };
        args.AddRange(Postgres is null ? ["--data-dir", DataDir] : ["--postgres", Postgres]);
        if (reset)
        {
            args.Add("--reset");
        }

        if (clockOffsetMs != 0)
        {
            args.AddRange(["--clock-offset-ms", clockOffsetMs.ToString(CultureInfo.InvariantCulture)]);
        }

        args.AddRange(_extraArgs);
        var psi = new ProcessStartInfo(_launcher.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in _launcher.Prefix.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        lock (_gate)
        {
            _log ??= new StreamWriter(LogPath, append: true) { AutoFlush = true };
            _log.WriteLine($"=== {DateTimeOffset.UtcNow:HH:mm:ss.fff} start {Starts + 1}: {_launcher.Describe(args)}");
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Paused = false;
        _process?.Dispose();
        _process = process;
        Starts++;
    }

    /// <summary>SIGKILL; waits for the exit.</summary>
    public async Task KillAsync()
    {
        Process? p = _process;
        if (p is null || p.HasExited)
        {
            return;
        }

        Signal(p, SigKill);
        Paused = false;
        await WaitExitAsync(p, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    /// <summary>SIGSTOP.</summary>
    public void Pause()
    {
        if (_process is { HasExited: false } p)
        {
            Signal(p, SigStop);
            Paused = true;
        }
    }

    /// <summary>SIGCONT.</summary>
    public void Continue()
    {
        if (_process is { HasExited: false } p)
        {
            Signal(p, SigCont);
        }

        Paused = false;
    }

    /// <summary>
    /// SIGTERM and waits for a clean exit; SIGKILL after <paramref name="timeout"/>. Returns the exit code. Not SIGINT: a
    /// tool started as a background job of a script inherits SIGINT ignored, and so would every replica it starts.
    /// </summary>
    public async Task<int?> StopAsync(TimeSpan timeout)
    {
        Process? p = _process;
        if (p is null || p.HasExited)
        {
            return ExitCode;
        }

        if (Paused)
        {
            Continue();
        }

        Signal(p, SigTerm);
        if (!await WaitExitAsync(p, timeout).ConfigureAwait(false))
        {
            Signal(p, SigKill);
            await WaitExitAsync(p, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }

        return ExitCode;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the running process to exit on its own; its exit code, or null.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        Process? p = _process;
        return p is null ? null : await WaitExitAsync(p, timeout).ConfigureAwait(false) ? p.ExitCode : null;
    }

    /// <summary>Deletes its SQLite data directory (it must not run).</summary>
    public void WipeData()
    {
        if (Running)
        {
            throw new InvalidOperationException($"replica {Index} runs; kill it before wiping its data");
        }

        if (Directory.Exists(DataDir))
        {
            Directory.Delete(DataDir, recursive: true);
        }
    }

    /// <summary>Kills the process if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is { } p)
        {
            try
            {
                if (!p.HasExited)
                {
                    Signal(p, SigCont);
                    p.Kill(entireProcessTree: true);
                    await WaitExitAsync(p, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            p.Dispose();
        }

        lock (_gate)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    /// <summary>Kills the process at once without waiting (for process-exit handlers).</summary>
    public void KillNow()
    {
        try
        {
            if (_process is { HasExited: false } p)
            {
                Signal(p, SigKill);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static async Task<bool> WaitExitAsync(Process p, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _log?.WriteLine(line);
            _tail.Enqueue(line);
            while (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }
    }

    private static void Signal(Process p, int signal)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("iinet chaos sends POSIX signals");
        }

        if (SysKill(p.Id, signal) != 0 && !p.HasExited)
        {
            throw new InvalidOperationException($"kill({p.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);
}
