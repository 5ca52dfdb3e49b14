using InternetIdentity.Protocol.Signatures;

namespace InternetIdentity.Protocol.Tests.Support;

/// <summary>A signature cache for tests: a set of hex triples, counting lookups that hit and additions.</summary>
internal sealed class RecordingSignatureCache : ISignatureCache
{
    private readonly HashSet<string> _valid = [];

    public int Hits { get; private set; }

    public int Added { get; private set; }

    public bool Contains(ReadOnlySpan<byte> derPublicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        bool hit = _valid.Contains(Key(derPublicKey, message, signature));
        Hits += hit ? 1 : 0;
        return hit;
    }

    public void Add(ReadOnlySpan<byte> derPublicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        _valid.Add(Key(derPublicKey, message, signature));
        Added++;
    }

    private static string Key(ReadOnlySpan<byte> k, ReadOnlySpan<byte> m, ReadOnlySpan<byte> s) =>
        $"{Convert.ToHexString(k)}/{Convert.ToHexString(m)}/{Convert.ToHexString(s)}";
}
