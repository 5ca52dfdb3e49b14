using System.Buffers.Binary;
using System.Collections.Immutable;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Simulation;

/// <summary>
/// Runs a whole subnet of consensus cores in one thread on a virtual clock, with a seeded network and fault
/// injection, checking the invariants after every step. The same options always give the same result.
/// </summary>
public static class Simulator
{
    /// <summary>Runs one seed to completion or to its first invariant violation.</summary>
    public static SimulationResult Run(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new SimulationRun(options).Execute();
    }
}

internal sealed partial class SimulationRun
{
    private abstract record SimEvent;
    private sealed record Deliver(int To, int From, ConsensusMessage Message) : SimEvent;
    private sealed record TimerEvent(int Slot, int Incarnation, ConsensusTimer Timer) : SimEvent;
    private sealed record ExecuteEvent(int Slot, int Incarnation, long Height, byte[] Root) : SimEvent;
    private sealed record Submit(int To, IngressMessage Message) : SimEvent;
    private sealed record CrashEvent(int Slot) : SimEvent;
    private sealed record RestartEvent(int Slot) : SimEvent;
    private sealed record FaultTick : SimEvent;
    private sealed record IngressTick : SimEvent;
    private sealed record HealEvent : SimEvent;

    private const int TraceLines = 60;
    private const long MaxSteps = 200_000_000;

    private readonly SimulationOptions _o;
    private readonly ConsensusConfig _cfg;
    private readonly DeterministicRandom _rng;
    private readonly List<SimNode> _nodes = [];
    private readonly List<int>[] _slotsOf;
    private readonly bool[] _byzantineIdentity;
    private readonly int[] _splitGroup; // equivocation and twin target halves of the honest replicas
    private readonly PriorityQueue<SimEvent, (long, long)> _queue = new();
    private readonly InvariantChecker _checker;
    private readonly Dictionary<Digest, long> _proposedAt = [];
    private readonly Queue<(long Time, int Slot, int From, object Item)> _trace = new();
    private readonly List<IngressMessage> _recentIngress = [];
    private long _seq;
    private long _now;
    private int[]? _partition;
    private long _healthySince;
    private long _messages, _bytes, _steps, _latencySum, _latencyCount, _catchUps;
    private bool _faultsOver;

    public SimulationRun(SimulationOptions o)
    {
        _o = o;
        _cfg = o.Protocol with { Replicas = o.Replicas };
        _cfg.Validate();
        _rng = new DeterministicRandom(o.Seed);
        _checker = new InvariantChecker(o.LivenessWindowMs);
        int n = o.Replicas;
        byte[] seedBytes = new byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(seedBytes, o.Seed);
        IReadOnlyList<IConsensusCrypto> cryptos = o.CryptoFactory(n, seedBytes);
        _slotsOf = new List<int>[n];
        _byzantineIdentity = new bool[n];
        for (int i = 0; i < n; i++)
        {
            _slotsOf[i] = [];
            AddSlot(i, cryptos[i]);
        }
        AssignFaults(cryptos);
        _splitGroup = new int[n];
        int[] honest = [.. Enumerable.Range(0, n).Where(i => !_byzantineIdentity[i])];
        for (int k = 0; k < honest.Length; k++)
        {
            _splitGroup[honest[k]] = k < (honest.Length + 1) / 2 ? 0 : 1;
        }
        for (int i = 0; i < n; i++)
        {
            if (_byzantineIdentity[i])
            {
                _splitGroup[i] = -1; // Byzantine replicas hear both halves
            }
        }
    }

    private SimNode AddSlot(int identity, IConsensusCrypto crypto)
    {
        var node = new SimNode(_nodes.Count, identity, new ConsensusCore(_cfg, crypto), crypto, _rng.NextLong(0, _o.Network.MaxClockSkewMs));
        _nodes.Add(node);
        _slotsOf[identity].Add(node.Slot);
        return node;
    }

    private void AssignFaults(IReadOnlyList<IConsensusCrypto> cryptos)
    {
        int n = _o.Replicas;
        int[] faulty = [.. _rng.Permutation(n).Take(_o.Faulty)];
        FaultClass c = _o.Faults;
        for (int k = 0; k < faulty.Length; k++)
        {
            SimNode node = _nodes[faulty[k]];
            bool byzantine = c == FaultClass.Byzantine || (c == FaultClass.Mixed && (faulty.Length == 1 ? _rng.Chance(0.5) : k % 2 == 0));
            bool crash = c == FaultClass.Crash || (c == FaultClass.Mixed && !byzantine);
            if (byzantine)
            {
                ByzantineBehaviour b = _o.Collude
                    ? ByzantineBehaviour.Equivocate | ByzantineBehaviour.DoubleVote
                    : _rng.NextInt(6) switch
                    {
                        0 => ByzantineBehaviour.Equivocate | ByzantineBehaviour.DoubleVote,
                        1 => ByzantineBehaviour.InvalidSignatures,
                        2 => ByzantineBehaviour.Withhold,
                        3 => ByzantineBehaviour.Twin,
                        4 => ByzantineBehaviour.Equivocate | ByzantineBehaviour.InvalidSignatures,
                        _ => ByzantineBehaviour.DoubleVote | ByzantineBehaviour.Withhold,
                    };
                node.Byzantine = b;
                node.WithholdProbability = _rng.Chance(0.5) ? 1.0 : 0.6;
                _byzantineIdentity[node.Identity] = true;
                if (b.HasFlag(ByzantineBehaviour.Twin))
                {
                    node.TwinGroup = 0;
                    SimNode twin = AddSlot(node.Identity, cryptos[node.Identity]);
                    twin.Byzantine = b;
                    twin.TwinGroup = 1;
                }
            }
            else if (crash)
            {
                node.CrashFaulty = true;
            }
        }
    }

    public SimulationResult Execute()
    {
        foreach (SimNode node in _nodes)
        {
            StepNode(node, new StartInput(Local(node), []));
        }
        Schedule(500, new FaultTick());
        if (_o.IngressIntervalMs > 0)
        {
            Schedule(_o.IngressIntervalMs, new IngressTick());
        }
        long limit = (_o.Heights * 2_000) + 120_000;
        while (_checker.Violation is null && _queue.TryDequeue(out SimEvent? ev, out (long Time, long Seq) at))
        {
            _now = at.Time;
            if (_now > limit || _steps > MaxSteps)
            {
                _checker.Stalled(_now, MinHonestFinalized(), _o.Heights);
                break;
            }
            Dispatch(ev);
            _checker.Progress(_now, MaxHonestFinalized(), _partition is null, _healthySince);
            if (Done())
            {
                break;
            }
        }
        return Result();
    }

    private bool Done()
    {
        foreach (SimNode node in _nodes)
        {
            if (node.Honest && (!node.Up || node.State.FinalizedHeight < _o.Heights))
            {
                return false;
            }
        }
        return true;
    }

    private long MinHonestFinalized() => _nodes.Where(x => x.Honest).Min(x => x.State.FinalizedHeight);

    private long MaxHonestFinalized()
    {
        long max = 0;
        foreach (SimNode node in _nodes)
        {
            if (node.Honest && node.State.FinalizedHeight > max)
            {
                max = node.State.FinalizedHeight;
            }
        }
        return max;
    }

    private long Local(SimNode node) => _now + node.Skew;

    private void Schedule(long delay, SimEvent ev) => _queue.Enqueue(ev, (_now + Math.Max(0, delay), _seq++));

    private void Dispatch(SimEvent ev)
    {
        switch (ev)
        {
            case Deliver d:
                foreach (int slot in _slotsOf[d.To])
                {
                    SimNode node = _nodes[slot];
                    if (node.Up)
                    {
                        Trace(node, d.Message, d.From);
                        // The simulator's ingress is opaque: a gossiped message is valid as the host would find it.
                        StepNode(node, d.Message is IngressGossip g
                            ? new PeerIngressValidated(Local(node), d.From, g.Message)
                            : new MessageReceived(Local(node), d.From, d.Message));
                    }
                }
                break;
            case TimerEvent t when _nodes[t.Slot] is { Up: true } tn && tn.Incarnation == t.Incarnation:
                StepNode(tn, new TimerFired(Local(tn), t.Timer));
                break;
            case ExecuteEvent e when _nodes[e.Slot] is { Up: true } en && en.Incarnation == e.Incarnation:
                StepNode(en, new BlockExecuted(Local(en), e.Height, e.Root));
                break;
            case Submit s:
                foreach (int slot in _slotsOf[s.To])
                {
                    SimNode node = _nodes[slot];
                    if (node.Up)
                    {
                        StepNode(node, new IngressSubmitted(Local(node), s.Message));
                    }
                }
                break;
            case CrashEvent c:
                Crash(_nodes[c.Slot]);
                break;
            case RestartEvent r:
                Restart(_nodes[r.Slot]);
                break;
            case FaultTick:
                InjectFaults();
                break;
            case IngressTick:
                SubmitIngress();
                break;
            case HealEvent:
                _partition = null;
                _healthySince = _now;
                TraceLine("network healed");
                break;
        }
    }

    private void StepNode(SimNode node, ConsensusInput input)
    {
        _steps++;
        StepResult r = node.Core.Step(node.State, input);
        node.State = r.State;
        IReadOnlyList<ConsensusOutput> outputs = r.Outputs;
        for (int i = 0; i < outputs.Count; i++)
        {
            HandleOutput(node, outputs[i]);
        }
        if (!node.Honest)
        {
            ActByzantine(node);
        }
        else
        {
            _checker.Heights(node.Identity, node.State);
        }
    }

    private void HandleOutput(SimNode node, ConsensusOutput o)
    {
        switch (o)
        {
            case SendMessage s:
                if (node.Honest)
                {
                    Route(node, s.To, s.Message);
                }
                else
                {
                    SendByzantine(node, s);
                }
                break;
            case SetTimer t:
                _queue.Enqueue(new TimerEvent(node.Slot, node.Incarnation, t.Timer), (Math.Max(_now, t.At - node.Skew), _seq++));
                break;
            case BlockFinalized f:
                Execute(node, f.Proposal.Block);
                break;
            case CatchUpApplied c:
                node.Toy.Restore(c.Package.Height, c.Package.Content.StateRoot);
                _catchUps++;
                break;
            case PersistArtifact p:
                Persist(node, p.Artifact);
                break;
            case ProtocolEvent e:
                if (e.Kind == ProtocolEventKind.Notarized && node.Honest)
                {
                    _checker.Notarized(e.Height, e.Hash!.Value);
                }
                else if (e.Kind == ProtocolEventKind.FinalizationReached && node.Honest)
                {
                    _checker.FinalizationReached(e.Height, e.Hash!.Value);
                }
                else if (e.Kind == ProtocolEventKind.FinalityConflict && node.Honest)
                {
                    _checker.Conflict(node.Identity, e.Height);
                }
                else if (e.Kind == ProtocolEventKind.Proposed)
                {
                    _proposedAt.TryAdd(e.Hash!.Value, _now);
                }
                Trace(node, e, -1);
                break;
        }
    }

    /// <summary>Keeps an artifact in the replica's store; a catch-up package replaces everything at or below its height.</summary>
    private static void Persist(SimNode node, ConsensusMessage artifact)
    {
        if (artifact is CatchUpPackage cup)
        {
            node.Store = StoreFrom(cup, node.Store);
        }
        else
        {
            node.Store.Add(artifact);
        }
    }

    private static List<ConsensusMessage> StoreFrom(CatchUpPackage cup, List<ConsensusMessage> store) =>
        [cup, .. store.Where(m => m is not CatchUpPackage && m.Height > cup.Height)];

    private void Execute(SimNode node, Block block)
    {
        if (block.Height <= node.Toy.Height)
        {
            return; // replayed after a restart; already executed
        }
        if (node.Honest)
        {
            if (block.Height != node.Toy.Height + 1)
            {
                _checker.Finalized(node.Identity, _now, block);
                TraceLine($"replica {node.Identity} got height {block.Height} after {node.Toy.Height}");
                return;
            }
            _checker.Finalized(node.Identity, _now, block);
        }
        byte[] root = node.Toy.Execute(block);
        if (node.Honest)
        {
            _checker.Executed(node.Identity, block.Height, root);
        }
        Schedule(1, new ExecuteEvent(node.Slot, node.Incarnation, block.Height, root));
    }

    private void Route(SimNode from, int? to, ConsensusMessage message)
    {
        int n = _o.Replicas;
        int size = -1;
        for (int j = to ?? 0; j < (to is null ? n : to.Value + 1); j++)
        {
            if (j == from.Identity || (from.TwinGroup >= 0 && _splitGroup[j] >= 0 && _splitGroup[j] != from.TwinGroup))
            {
                continue;
            }
            if (size < 0)
            {
                size = message.EncodedSize();
            }
            _messages++;
            _bytes += size;
            if ((_partition is { } part && part[from.Identity] != part[j]) || _rng.Chance(_o.Network.DropProbability))
            {
                continue;
            }
            Schedule(Latency(), new Deliver(j, from.Identity, message));
            if (_rng.Chance(_o.Network.DuplicateProbability))
            {
                Schedule(Latency(), new Deliver(j, from.Identity, message));
            }
        }
    }

    private long Latency()
    {
        NetworkModel net = _o.Network;
        long l = _rng.Chance(net.TailProbability)
            ? _rng.NextLong(net.MaxLatencyMs, net.MaxLatencyMs * 10)
            : _rng.NextLong(net.MinLatencyMs, net.MaxLatencyMs);
        _latencySum += l;
        _latencyCount++;
        return l;
    }

    private void Crash(SimNode node)
    {
        if (!node.Up)
        {
            return;
        }
        node.Up = false;
        node.Incarnation++;
        TraceLine($"replica {node.Identity} crashed at finalized {node.State.FinalizedHeight}");
    }

    private void Restart(SimNode node)
    {
        if (node.Up)
        {
            return;
        }
        node.Up = true;
        node.State = node.Core.Initial();
        node.Toy = new ToyStateMachine();
        TraceLine($"replica {node.Identity} restarts from {node.Store.Count} persisted artifacts");
        StepNode(node, new StartInput(Local(node), [.. node.Store]));
    }

    private void InjectFaults()
    {
        if (MinHonestFinalized() >= _o.Heights * 4 / 5)
        {
            _faultsOver = true;
        }
        if (_faultsOver)
        {
            return;
        }
        Schedule(500, new FaultTick());
        foreach (SimNode node in _nodes)
        {
            if (node.CrashFaulty && node.Up && _rng.Chance(0.15))
            {
                Crash(node);
                Schedule(_rng.NextLong(200, 4_000), new RestartEvent(node.Slot));
            }
        }
        bool partitions = _o.Faults is FaultClass.Partition or FaultClass.Mixed;
        if (partitions && _partition is null && _rng.Chance(0.12))
        {
            int n = _o.Replicas;
            var groups = new int[n];
            if (_rng.Chance(0.6))
            {
                int isolated = 1 + _rng.NextInt(Math.Max(1, _o.Faulty));
                foreach (int i in _rng.Permutation(n).Take(isolated))
                {
                    groups[i] = 1;
                }
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    groups[i] = _rng.NextInt(2);
                }
            }
            _partition = groups;
            TraceLine($"partition [{string.Join(",", groups)}]");
            Schedule(_rng.NextLong(500, 6_000), new HealEvent());
        }
    }

    private void SubmitIngress()
    {
        if (MinHonestFinalized() >= _o.Heights)
        {
            return;
        }
        Schedule(_rng.NextLong(_o.IngressIntervalMs / 2, _o.IngressIntervalMs * 3 / 2), new IngressTick());
        int n = _o.Replicas;
        IngressMessage m;
        if (_recentIngress.Count > 0 && _rng.Chance(0.05))
        {
            m = _recentIngress[_rng.NextInt(_recentIngress.Count)]; // a replay of an earlier request
        }
        else
        {
            double kind = _rng.NextDouble();
            long expiry = kind < 0.90 ? _now + _rng.NextLong(10_000, 290_000)
                : kind < 0.97 ? _now + _rng.NextLong(30, 600)
                : _now + _cfg.MaxIngressTtlMs + _cfg.PermittedDriftMs + 10_000;
            byte[] content = new byte[24];
            BinaryPrimitives.WriteUInt64BigEndian(content, _rng.NextUInt64());
            BinaryPrimitives.WriteInt64BigEndian(content.AsSpan(8), _now);
            BinaryPrimitives.WriteInt64BigEndian(content.AsSpan(16), _seq);
            m = new IngressMessage(content, expiry);
            if (_recentIngress.Count < 64)
            {
                _recentIngress.Add(m);
            }
            else
            {
                _recentIngress[_rng.NextInt(64)] = m;
            }
        }
        Schedule(0, new Submit(_rng.NextInt(n), m));
        if (_rng.Chance(0.1))
        {
            Schedule(_rng.NextLong(0, 200), new Submit(_rng.NextInt(n), m));
        }
    }

    private SimulationResult Result()
    {
        long min = MinHonestFinalized();
        var hashes = new List<Digest>();
        var latencies = new List<long>();
        for (long h = 1; h <= min && _checker.FinalizedChain.TryGetValue(h, out Digest d); h++)
        {
            hashes.Add(d);
            if (_proposedAt.TryGetValue(d, out long proposed) && _checker.FirstFinalizedAt.TryGetValue(h, out long fin))
            {
                latencies.Add(fin - proposed);
            }
        }
        return new SimulationResult
        {
            Seed = _o.Seed,
            Violation = _checker.Violation,
            Trace = _checker.Violation is null ? [] : [.. _trace.Select(Describe)],
            HeightsFinalized = min,
            FinalizedHashes = hashes,
            FinalizationLatenciesMs = latencies,
            MeanMessageDelayMs = _latencyCount == 0 ? 0 : (double)_latencySum / _latencyCount,
            Messages = _messages,
            Bytes = _bytes,
            Steps = _steps,
            VirtualTimeMs = _now,
            IngressExecuted = _checker.ExecutedRequests,
            CatchUpsApplied = _catchUps,
        };
    }
}
