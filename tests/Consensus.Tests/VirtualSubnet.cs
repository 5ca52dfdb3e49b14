using System.Collections.Immutable;
using System.Security.Cryptography;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Tests;

/// <summary>
/// n cores on virtual time: every message takes <see cref="LatencyMs"/>, a height executes in <see cref="ExecuteMs"/>
/// one after another, a catch-up package's state restores in <see cref="RestoreMs"/>; replicas can be stopped, restarted
/// from their journal or wiped. Deterministic: no randomness, ties in time broken by order of scheduling.
/// </summary>
internal sealed class VirtualSubnet
{
    /// <summary>An idle subnet's rhythm as the hosts run it: a block every 300 ms without ingress.</summary>
    public static ConsensusConfig HostConfig { get; } = new() { IdleBlockDelayMs = 300, InitialNotaryDelayMs = 0 };

    private sealed class Node(ConsensusCore core)
    {
        public ConsensusCore Core { get; } = core;
        public ConsensusState State { get; set; } = core.Initial();
        public bool Up { get; set; }
        public int Incarnation { get; set; }
        public List<ConsensusMessage> Journal { get; set; } = [];
        public byte[] Root { get; set; } = new byte[32];
        public long Executed { get; set; }
        public long BusyUntil { get; set; }
        public long ReachableAt { get; set; }
    }

    private readonly Node[] _nodes;
    private readonly PriorityQueue<(int Node, int Incarnation, Action<Node> Act), (long At, long Seq)> _queue = new();
    private long _seq;

    public VirtualSubnet(int replicas = 4, ConsensusConfig? config = null)
    {
        Config = (config ?? HostConfig) with { Replicas = replicas };
        IReadOnlyList<IConsensusCrypto> crypto = StandInCrypto.CreateSubnet(replicas, Config.GenesisSeed);
        _nodes = [.. crypto.Select(c => new Node(new ConsensusCore(Config, c)))];
    }

    public ConsensusConfig Config { get; }

    public long LatencyMs { get; init; } = 10;

    public long ExecuteMs { get; init; } = 2;

    public long RestoreMs { get; init; } = 20;

    /// <summary>When set, a message (from, to, message) for which it returns true is lost.</summary>
    public Func<int, int, ConsensusMessage, bool>? Drop { get; set; }

    /// <summary>Virtual time, milliseconds.</summary>
    public long Now { get; private set; }

    /// <summary>Messages sent to replica i so far (what a lagging replica costs its peers).</summary>
    public long[] SentTo { get; private set; } = [];

    public ConsensusState State(int i) => _nodes[i].State;

    /// <summary>
    /// Starts replica i from its journal (empty: genesis); what it sends or is sent in its first
    /// <paramref name="unreachableMs"/> is lost (a real replica's connections come up after its start).
    /// </summary>
    public void Start(int i, long unreachableMs = 0)
    {
        Node n = _nodes[i];
        n.Up = true;
        n.ReachableAt = Now + unreachableMs;
        n.State = n.Core.Initial();
        n.Executed = n.Journal.OfType<CatchUpPackage>().Select(c => c.Height).DefaultIfEmpty(0).Max();
        n.Root = n.Journal.OfType<CatchUpPackage>().FirstOrDefault()?.Content.StateRoot ?? new byte[32];
        if (SentTo.Length == 0)
        {
            SentTo = new long[_nodes.Length];
        }
        Step(i, new StartInput(Now, [.. n.Journal]));
    }

    /// <summary>Stops replica i (its pending timers, messages and executions are lost); keeps its journal unless wiped.</summary>
    public void Stop(int i, bool wipe = false)
    {
        Node n = _nodes[i];
        n.Up = false;
        n.Incarnation++;
        if (wipe)
        {
            n.Journal = [];
        }
    }

    /// <summary>Runs events until <paramref name="done"/> holds (checked after each event) or <paramref name="limitMs"/> of virtual time pass; true when it held.</summary>
    public bool RunUntil(Func<bool> done, long limitMs)
    {
        long end = Now + limitMs;
        while (!done())
        {
            if (!_queue.TryPeek(out _, out (long At, long Seq) at) || at.At > end)
            {
                Now = end;
                return false;
            }
            (int node, int incarnation, Action<Node> act) = _queue.Dequeue();
            Now = at.At;
            Node n = _nodes[node];
            if (n.Up && n.Incarnation == incarnation)
            {
                act(n);
            }
        }
        return true;
    }

    private void At(long at, int node, Action<Node> act) => _queue.Enqueue((node, _nodes[node].Incarnation, act), (Math.Max(at, Now), _seq++));

    private void Step(int i, ConsensusInput input)
    {
        Node n = _nodes[i];
        StepResult r = n.Core.Step(n.State, input);
        n.State = r.State;
        foreach (ConsensusOutput o in r.Outputs)
        {
            switch (o)
            {
                case SendMessage s:
                    for (int j = 0; j < _nodes.Length; j++)
                    {
                        if (j != i && (s.To is null || s.To == j) && Now >= n.ReachableAt && Now >= _nodes[j].ReachableAt
                            && Drop?.Invoke(i, j, s.Message) != true)
                        {
                            SentTo[j]++;
                            ConsensusMessage m = s.Message;
                            int from = i, to = j;
                            At(Now + LatencyMs, to, _ => Step(to, new MessageReceived(Now, from, m)));
                        }
                    }
                    break;
                case SetTimer t:
                    At(t.At, i, _ => Step(i, new TimerFired(Now, t.Timer)));
                    break;
                case BlockFinalized f:
                    Execute(i, f.Proposal.Block);
                    break;
                case CatchUpApplied c when c.Package.Height > n.Executed:
                    n.Executed = c.Package.Height;
                    n.Root = c.Package.Content.StateRoot;
                    n.BusyUntil = Math.Max(n.BusyUntil, Now) + RestoreMs;
                    break;
                case PersistArtifact p:
                    n.Journal = p.Artifact is CatchUpPackage cup
                        ? [cup, .. n.Journal.Where(m => m is not CatchUpPackage && m.Height > cup.Height)]
                        : [.. n.Journal, p.Artifact];
                    break;
            }
        }
    }

    private void Execute(int i, Block block)
    {
        Node n = _nodes[i];
        if (block.Height != n.Executed + 1)
        {
            return; // replayed below the restored state, or a height the restore covers
        }
        n.Executed = block.Height;
        n.Root = SHA256.HashData([.. n.Root, .. block.Hash.ToBytes()]);
        byte[] root = n.Root;
        byte[]? checkpoint = block.Height % Config.CatchUpInterval == 0 ? SHA256.HashData(root) : null;
        n.BusyUntil = Math.Max(n.BusyUntil, Now) + ExecuteMs;
        At(n.BusyUntil, i, _ => Step(i, new BlockExecuted(Now, block.Height, root, checkpoint)));
    }
}
