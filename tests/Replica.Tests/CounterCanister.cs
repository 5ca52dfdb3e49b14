using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Tests;

/// <summary>
/// A stateful test canister: <c>inc</c> counts calls, <c>inc_then_throw</c> counts and then throws (a bug the executor
/// must roll back), <c>get</c> (query) reads the count. Its certified data is the count, so the state root follows it.
/// </summary>
internal sealed class CounterCanister : ICanister, ICanisterSnapshots
{
    public static Principal Id { get; } = Principal.CanisterId(1);

    private ulong _count;

    public ulong Count => _count;

    public ReadOnlyMemory<byte> CertifiedData => BitConverter.GetBytes(_count);

    public ReadOnlyMemory<byte> ModuleHash => new byte[32];

    public IReadOnlyDictionary<string, CanisterMetadata> Metadata { get; } = new Dictionary<string, CanisterMetadata>
    {
        ["candid:service"] = new("service : { inc : () -> (nat64); get : () -> (nat64) query }"u8.ToArray(), true),
        ["secret"] = new("private section"u8.ToArray(), false),
    };

    public ExportedMethods Exports { get; } = new(["inc", "inc_then_throw", "reject"], ["get"]);

    public CanisterReply Update(CallContext context, string method, ReadOnlySpan<byte> argument)
    {
        switch (method)
        {
            case "inc":
                _count++;
                return Reply();
            case "inc_then_throw":
                _count++;
                throw new InvalidOperationException("boom");
            case "reject":
                return CanisterReply.Reject(RejectCode.CanisterReject, "no, thanks");
            default:
                return CanisterReply.NoSuchMethod(method, query: false, Id);
        }
    }

    public CanisterReply Query(QueryContext context, string method, ReadOnlySpan<byte> argument) => method switch
    {
        "get" => Reply(),
        "inc" => Reply(_count + 1), // an update method called as a query runs in query mode: its change is dropped
        _ => CanisterReply.NoSuchMethod(method, query: true, Id),
    };

    private CanisterReply Reply() => Reply(_count);

    private static CanisterReply Reply(ulong count) => CanisterReply.Reply(CandidEncoder.Encode(CandidType.Nat64, CandidValue.Nat64(count)));

    public int SnapshotsTaken { get; private set; }

    public byte[] Snapshot()
    {
        SnapshotsTaken++;
        return BitConverter.GetBytes(_count);
    }

    public void Restore(ReadOnlySpan<byte> snapshot) => _count = BitConverter.ToUInt64(snapshot);
}
