using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.RequestIds;

namespace InternetIdentity.Protocol.Benchmarks;

/// <summary>A state tree with 100,000 request statuses: root hash, and witnesses for one present and one absent request.</summary>
[MemoryDiagnoser]
public class WitnessBenchmarks
{
    private const int Requests = 100_000;
    private KeyValuePair<Label, LabeledTree>[] _statuses = null!;
    private LabeledTree _state = null!;
    private IReadOnlyList<Label>[] _present = null!;
    private IReadOnlyList<Label>[] _absent = null!;

    [GlobalSetup]
    public void Setup()
    {
        LabeledTree replied = LabeledTree.Leaf("replied"u8.ToArray());
        _statuses = Enumerable.Range(0, Requests).Select(i =>
        {
            byte[] rid = SHA256.HashData(BitConverter.GetBytes(i));
            return new KeyValuePair<Label, LabeledTree>(rid, LabeledTree.Node(("reply", LabeledTree.Leaf(new byte[64])), ("status", replied)));
        }).ToArray();
        _state = Build();
        _ = _state.Digest;
        _present = [["request_status", SHA256.HashData(BitConverter.GetBytes(12345))], ["time"]];
        _absent = [["request_status", SHA256.HashData("absent"u8)], ["time"]];
    }

    private LabeledTree Build() => LabeledTree.Node(
        ("request_status", LabeledTree.Node(_statuses)),
        ("time", LabeledTree.Leaf(Leb128.EncodeUnsigned(1_700_000_000_000_000_000UL))));

    [Benchmark]
    public byte[] BuildAndHashFullTree() => Build().Digest.ToArray();

    [Benchmark]
    public HashTree WitnessPresentRequest() => _state.Witness(_present);

    [Benchmark]
    public HashTree WitnessAbsentRequest() => _state.Witness(_absent);

    [Benchmark]
    public byte[] WitnessEncodeAndReconstruct() => HashTree.Decode(_state.Witness(_present).Encode()).DigestArray();
}
