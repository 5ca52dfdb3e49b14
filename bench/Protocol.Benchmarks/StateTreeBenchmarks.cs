using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Protocol.Benchmarks;

/// <summary>
/// One height of the replica's state tree with <see cref="Statuses"/> request statuses held: 100 new statuses, the 100
/// oldest forgotten, then the root. Full rebuild (<see cref="StateTree.Build"/>) against <see cref="IncrementalStateTree"/>.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class StateTreeBenchmarks
{
    private const int PerHeight = 100;
    private readonly Queue<RequestStatus> _fullOrder = new();
    private readonly Dictionary<RequestId, RequestStatus> _full = [];
    private readonly Queue<RequestStatus> _incrementalOrder = new();
    private IncrementalStateTree _incremental = null!;
    private SubnetTopology _subnet = null!;
    private CanisterStateView[] _canisters = null!;
    private ulong _time = 1_700_000_000_000_000_000;
    private int _next;

    [Params(10_000, 100_000)]
    public int Statuses { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _subnet = new SubnetTopology(Principal.SelfAuthenticating([1]), new byte[133], GenesisConfig.CanisterRanges,
            [.. Enumerable.Range(0, 4).Select(i => (Principal.SelfAuthenticating([(byte)i]), new byte[44]))]);
        var metadata = new Dictionary<string, CanisterMetadata> { ["candid:service"] = new(new byte[8000], true) };
        _canisters = [new CanisterStateView(Principal.CanisterId(7), new byte[32], new byte[32], [], metadata)];
        _incremental = new IncrementalStateTree();
        for (int i = 0; i < Statuses; i++)
        {
            RequestStatus s = NewStatus();
            _full.Add(s.Id, s);
            _fullOrder.Enqueue(s);
            _incremental.AddStatus(s);
            _incrementalOrder.Enqueue(s);
        }

        _ = StateTree.Build(_time, _subnet, _canisters, _full.Values).Digest;
        _ = _incremental.Build(_time, _subnet, _canisters).Digest;
    }

    private RequestStatus NewStatus()
    {
        RequestId id = new(SHA256.HashData(BitConverter.GetBytes(_next++)));
        return RequestStatus.Replied(id, Principal.Anonymous, Principal.CanisterId(7), 0, new byte[60]);
    }

    [Benchmark(Baseline = true)]
    public byte[] FullRebuild()
    {
        for (int i = 0; i < PerHeight; i++)
        {
            _full.Remove(_fullOrder.Dequeue().Id);
            RequestStatus s = NewStatus();
            _full.Add(s.Id, s);
            _fullOrder.Enqueue(s);
        }

        return StateTree.Build(++_time, _subnet, _canisters, _full.Values).Digest.ToArray();
    }

    [Benchmark]
    public byte[] Incremental()
    {
        for (int i = 0; i < PerHeight; i++)
        {
            _incremental.RemoveStatus(_incrementalOrder.Dequeue().Id);
            RequestStatus s = NewStatus();
            _incremental.AddStatus(s);
            _incrementalOrder.Enqueue(s);
        }

        return _incremental.Build(++_time, _subnet, _canisters).Digest.ToArray();
    }
}
