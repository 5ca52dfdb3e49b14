using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Tests;

/// <summary>
/// A counter that declares itself transactional: <c>inc_then_throw</c> computes the next count aside and throws before
/// committing it, as II does. Its snapshots are counted, so a test can see that the executor takes none;
/// <c>oversize</c> commits 33 bytes of certified data, breaking the contract a transactional canister promises.
/// </summary>
internal sealed class TransactionalCounterCanister : ICanister, ICanisterSnapshots
{
    public static Principal Id { get; } = Principal.CanisterId(2);

    private ulong _count;
    private byte[]? _oversize;

    public ulong Count => _count;

    public int SnapshotsTaken { get; private set; }

    public bool IsTransactional => true;

    public ExportedMethods Exports { get; } = new(["inc", "inc_then_throw", "oversize"], []);

    public ReadOnlyMemory<byte> CertifiedData => _oversize ?? BitConverter.GetBytes(_count);

    public ReadOnlyMemory<byte> ModuleHash => new byte[32];

    public IReadOnlyDictionary<string, CanisterMetadata> Metadata { get; } = new Dictionary<string, CanisterMetadata>();

    public CanisterReply Update(CallContext context, string method, ReadOnlySpan<byte> argument)
    {
        ulong next = _count + 1;
        switch (method)
        {
            case "inc":
                _count = next;
                return CanisterReply.Reply(CandidEncoder.Encode(CandidType.Nat64, CandidValue.Nat64(_count)));
            case "inc_then_throw":
                throw new InvalidOperationException($"boom before committing {next}");
            case "oversize":
                _oversize = new byte[33];
                return CanisterReply.Reply(CandidEncoder.Encode(CandidType.Nat64, CandidValue.Nat64(_count)));
            default:
                return CanisterReply.NoSuchMethod(method, query: false, Id);
        }
    }

    public CanisterReply Query(QueryContext context, string method, ReadOnlySpan<byte> argument) => CanisterReply.NoSuchMethod(method, query: true, Id);

    public byte[] Snapshot()
    {
        SnapshotsTaken++;
        return BitConverter.GetBytes(_count);
    }

    public void Restore(ReadOnlySpan<byte> snapshot) => _count = BitConverter.ToUInt64(snapshot);
}
