using System.Diagnostics;

using InternetIdentity.TestSupport;

namespace InternetIdentity.SubnetLoad;

/// <summary>
/// Times <c>iinet up</c> from process start to its <c>ready:</c> line, on a fresh data directory and free ports, then
/// stops it with SIGINT (Ctrl-C) and waits for it to exit; the child is killed if it hangs either way.
/// </summary>
internal static class ReadyTimer
{
    public static async Task<double> MeasureAsync(string iinet, int replicas, TimeSpan timeout, TextWriter log)
    {
        // A port found free can be taken by another process before iinet binds it: then try new ports (twice more).
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await MeasureOnceAsync(iinet, replicas, timeout, log).ConfigureAwait(false);
            }
            catch (PortTakenException e) when (attempt < 3)
            {
                log.WriteLine($"  {e.Message}; retrying on other ports");
            }
        }
    }

    private static async Task<double> MeasureOnceAsync(string iinet, int replicas, TimeSpan timeout, TextWriter log)
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "subnet-load-" + Guid.NewGuid().ToString("N"));
        int port = FreePorts.FindConsecutive(2 * replicas);
        bool dll = iinet.EndsWith(".dll", StringComparison.Ordinal);
        var info = new ProcessStartInfo(dll ? "dotnet" : iinet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (dll)
        {
            info.ArgumentList.Add(iinet);
        }

        foreach (string a in new[] { "up", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--replicas",
            replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", dataDir })
        {
            info.ArgumentList.Add(a);
        }

        var output = new List<string>();
        var ready = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        using Process child = Process.Start(info) ?? throw new LoadException("could not start " + iinet);
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(e.Data);
            }

            if (e.Data.StartsWith("ready:", StringComparison.Ordinal))
            {
                ready.TrySetResult(clock.Elapsed.TotalMilliseconds);
            }
        };
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.Add(e.Data);
                }
            }
        };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        try
        {
            Task exited = child.WaitForExitAsync();
            using var cts = new CancellationTokenSource(timeout);
            Task first = await Task.WhenAny(ready.Task, exited, Task.Delay(Timeout.Infinite, cts.Token)).ConfigureAwait(false);
            if (first != ready.Task)
            {
                string why = first == exited ? $"exited with code {child.ExitCode}" : $"printed no ready line within {timeout.TotalSeconds:0} s";
                string tail;
                lock (output)
                {
                    tail = string.Join(Environment.NewLine, output.TakeLast(20));
                }

                if (first == exited && tail.Contains("cannot listen", StringComparison.Ordinal))
                {
                    throw new PortTakenException($"iinet up could not listen on ports from {port}");
                }

                throw new LoadException($"iinet up on port {port} {why}; its output:{Environment.NewLine}{tail}");
            }

            double millis = await ready.Task.ConfigureAwait(false);
            log.WriteLine($"  iinet up ready after {millis:0} ms (port {port})");
            return millis;
        }
        finally
        {
            await StopAsync(child).ConfigureAwait(false);
            TryDelete(dataDir);
        }
    }

    // SIGINT first (what Ctrl-C sends, so the subnet stops cleanly), then a kill if it does not exit in 30 s.
    private static async Task StopAsync(Process child)
    {
        if (child.HasExited)
        {
            return;
        }

        using (Process? signal = Process.Start(new ProcessStartInfo("kill", ["-INT", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        }))
        {
            if (signal is not null)
            {
                await signal.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await child.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>The timed <c>iinet up</c> lost a race for its ports.</summary>
internal sealed class PortTakenException(string message) : Exception(message);
