using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.Replica.Cluster;

/// <summary>
/// Starts a replica's consensus actor under its well-known name and starts it again when its journal failed (it stops
/// itself then): a bounded number of times, with a doubling delay, for a database that comes back; after that the
/// replica stops (<see cref="ConsensusOrdering.Halt"/>) with the journal's reason. An actor that stops otherwise (the
/// replica halted, or shuts down) is not started again. Local commands for consensus (<see cref="AllowBlocks"/>) go
/// through the keeper, which forwards them to whichever incarnation runs and hands a restarted one the latest
/// <see cref="AllowBlocks"/> (the actor does not journal it).
/// </summary>
public sealed class ConsensusKeeper : ReceiveActor, IWithTimers
{
    private readonly Func<IActorRef> _start;
    private readonly ConsensusOrdering _ordering;
    private readonly int _retries;
    private readonly TimeSpan _delay;
    private readonly ILogger _log;
    private IActorRef _current;
    private AllowBlocks? _allowed;
    private int _restarts;

    /// <summary>
    /// Creates the keeper of the consensus actor <paramref name="first"/>; <paramref name="start"/> starts a new one under
    /// the same top-level name, so that peers reach it by the same path after every restart.
    /// </summary>
    public ConsensusKeeper(IActorRef first, Func<IActorRef> start, ConsensusOrdering ordering, int retries, TimeSpan delay, ILogger log)
    {
        _current = first;
        _start = start;
        _ordering = ordering;
        _retries = retries;
        _delay = delay;
        _log = log;
        Receive<Terminated>(OnTerminated);
        Receive<StartAgain>(_ => StartConsensus());
        Receive<AllowBlocks>(m =>
        {
            _allowed = m.UpToHeight > (_allowed?.UpToHeight ?? 0) ? m : _allowed;
            _current.Forward(m);
        });
        ReceiveAny(m => _current.Forward(m));
    }

    private sealed record StartAgain;

    /// <summary>The timer of the next restart (set by Akka).</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <inheritdoc/>
    protected override void PreStart() => Context.Watch(_current);

    private void StartConsensus()
    {
        _current = _start();
        Context.Watch(_current);
        _ordering.Attach(_current);
        if (_allowed is not null)
        {
            _current.Tell(_allowed, Self);
        }
    }

    private void OnTerminated(Terminated t)
    {
        if (_ordering.PersistenceFailure is not { } reason)
        {
            return;
        }

        if (_restarts >= _retries)
        {
            _log.LogCritical("the consensus journal failed {Count} times; the replica stops: {Reason}", _restarts + 1, reason);
            _ordering.Halt(reason);
            return;
        }

        TimeSpan wait = _delay * (1 << _restarts++);
        _log.LogWarning("the consensus journal failed ({Reason}); starting consensus again in {Wait} ({Attempt} of {Retries})", reason, wait, _restarts, _retries);
        Timers.StartSingleTimer("restart", new StartAgain(), wait);
    }
}
