using System.Collections.Immutable;
using System.Text;
using BenchmarkDotNet.Attributes;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.IdentityCanister.State;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.IdentityCanister.Benchmarks;

/// <summary>Snapshot and restore of a canister holding 100,000 anchors (two devices each).</summary>
[MemoryDiagnoser]
public class SnapshotBenchmarks
{
    private InternetIdentityCanister _canister = null!;
    private byte[] _snapshot = null!;

    [GlobalSetup]
    public void Setup()
    {
        _canister = InternetIdentityCanister.Install(Principal.Parse("rdmx6-jaaaa-aaaaa-aaadq-cai"), []);
        var anchors = new KeyValuePair<ulong, Anchor>[100_000];
        for (int i = 0; i < 100_000; i++)
        {
            ulong n = 10_000 + (ulong)i;
            Device Dev(string kind) => new(new DeviceData(
                [.. Encoding.UTF8.GetBytes($"{kind} key of anchor {n} padded to the length of a COSE key..........")], "Chrome on Mac",
                [.. Encoding.UTF8.GetBytes($"{kind} credential {n}")], null, Purpose.Authentication, KeyType.Platform,
                DeviceProtection.Unprotected, "https://identity.ic0.app", null), 1_700_000_000_000_000_000);
            anchors[i] = new(n, new Anchor(n, [Dev("main"), Dev("backup")], 1_700_000_000_000_000_000, null, MetadataMap.Empty));
        }

        _canister.State = _canister.State with { Anchors = PersistentSortedMap<ulong, Anchor>.FromSorted(Comparer<ulong>.Default, anchors) };
        _snapshot = _canister.Snapshot();
    }

    [Benchmark]
    public byte[] Snapshot100kAnchors() => _canister.Snapshot();

    [Benchmark]
    public InternetIdentityCanister Restore100kAnchors() => InternetIdentityCanister.Restore(_canister.CanisterId, _snapshot);
}
