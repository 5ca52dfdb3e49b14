using System.Runtime.InteropServices;

namespace InternetIdentity.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM cancel <see cref="Token"/> instead of killing the process, so a verb can stop its
/// replicas cleanly. A signal handled while the verb is already shutting down is ignored.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private int _disposed;

    public StopSignals(CancellationToken outer)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal (or the outer token).</summary>
    public CancellationToken Token => _stop.Token;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The handler raced with Dispose: the verb is finishing anyway.
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, 1);
        _sigint.Dispose();
        _sigterm.Dispose();
        _stop.Dispose();
    }
}
