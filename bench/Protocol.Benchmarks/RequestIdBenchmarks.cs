using BenchmarkDotNet.Attributes;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Protocol.Benchmarks;

/// <summary>Request-id hashing of a typical call and of a read_state, and envelope decoding.</summary>
[MemoryDiagnoser]
public class RequestIdBenchmarks
{
    private RequestContent _call = null!;
    private RequestContent _readState = null!;
    private byte[] _envelope = null!;

    [GlobalSetup]
    public void Setup()
    {
        Principal sender = Principal.SelfAuthenticating(new byte[44]);
        _call = RequestContent.Call(RequestType.Call, sender, Principal.CanisterId(7), "prepare_delegation", new byte[200], 1_700_000_000_000_000_000, new byte[16]);
        _readState = RequestContent.ReadState(sender, [["request_status"u8.ToArray(), new byte[32]], ["time"u8.ToArray()]], 1_700_000_000_000_000_000);
        _envelope = new Envelope(_call, new byte[44], new byte[64]).Encode();
    }

    [Benchmark]
    public byte[] CallRequestId() => _call.ComputeRequestId().Bytes.ToArray();

    [Benchmark]
    public byte[] ReadStateRequestId() => _readState.ComputeRequestId().Bytes.ToArray();

    [Benchmark]
    public Envelope DecodeEnvelope() => Envelope.Decode(_envelope);
}
