using System.Globalization;
using System.Runtime.InteropServices;

namespace InternetIdentity.Cli;

/// <summary>
/// Watches the process that started this one (`iinet node --parent-pid P`): once P is gone (exited, killed, a zombie),
/// <see cref="Token"/> is cancelled, so the verb stops as on Ctrl-C; if it has not exited <see cref="Grace"/> later, the
/// process exits anyway. A tool killed with SIGKILL cannot stop its children; with this they stop themselves.
/// </summary>
internal sealed class ParentWatch : IDisposable
{
    /// <summary>How long a clean stop may take after the parent is gone before the process exits hard.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private readonly int _pid;
    private readonly TextWriter _error;
    private readonly CancellationTokenSource _gone;
    private readonly Timer _poll;
    private Timer? _hardExit;

    /// <summary>Polls process <paramref name="pid"/> every <paramref name="interval"/>; <paramref name="outer"/> also cancels <see cref="Token"/>.</summary>
    /// <exception cref="CliInputException">the pid is not positive, or no such process runs now.</exception>
    public ParentWatch(int pid, TimeSpan interval, TextWriter error, CancellationToken outer)
    {
        if (pid <= 0)
        {
            throw new CliInputException($"--parent-pid: {pid} is not a process id");
        }

        if (!IsAlive(pid))
        {
            throw new CliInputException($"--parent-pid: no process {pid} runs");
        }

        _pid = pid;
        _error = error;
        _gone = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _poll = new Timer(_ => Check(), null, interval, interval);
    }

    /// <summary>Cancelled once the parent is gone (or by the outer token).</summary>
    public CancellationToken Token => _gone.Token;

    /// <summary>Whether process <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            // kill(pid, 0) succeeds on a zombie: a parent killed but not yet reaped by its own parent must count as gone.
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }

            // "pid (comm) S ...": the state follows the last parenthesis (comm may contain any character).
            int close = stat.LastIndexOf(')');
            return close < 0 || close + 2 >= stat.Length || stat[close + 2] is not ('Z' or 'X');
        }

        if (OperatingSystem.IsWindows())
        {
            try
            {
                using var p = System.Diagnostics.Process.GetProcessById(pid);
                return !p.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        return Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1; // EPERM: it exists, owned by someone else
    }

    private void Check()
    {
        if (_gone.IsCancellationRequested || IsAlive(_pid))
        {
            return;
        }

        _error.WriteLine($"parent process {_pid} is gone; stopping");
        _error.Flush();
        _hardExit = new Timer(_ => Environment.Exit(ExitCodes.InternalError), null, Grace, Timeout.InfiniteTimeSpan);
        try
        {
            _gone.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed while checking: the verb is finishing anyway.
        }
    }

    /// <summary>Stops watching.</summary>
    public void Dispose()
    {
        // Declared before the verb's other resources, this is disposed last: the hard exit stays armed while they stop.
        _poll.Dispose();
        _hardExit?.Dispose();
        _gone.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
