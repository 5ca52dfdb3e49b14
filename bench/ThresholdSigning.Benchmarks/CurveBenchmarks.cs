using BenchmarkDotNet.Attributes;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Benchmarks;

/// <summary>Scalar multiplication in G1 and G2, secret (constant time) and public (wNAF), and point decoding.</summary>
public class CurveBenchmarks
{
    private Fr _k;
    private G1Projective _p;
    private G2Projective _q;
    private byte[] _g1Bytes = [];
    private byte[] _g2Bytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _k = Fr.FromBigEndianReduced(System.Security.Cryptography.SHA256.HashData("scalar"u8));
        _p = G1Projective.Generator.MultiplyVartime(Fr.FromUInt64(7));
        _q = G2Projective.Generator.MultiplyVartime(Fr.FromUInt64(7));
        _g1Bytes = _p.ToAffine().ToCompressed();
        _g2Bytes = _q.ToAffine().ToCompressed();
    }

    [Benchmark]
    public G1Projective G1MultiplySecret() => _p.Multiply(_k);

    [Benchmark]
    public G1Projective G1MultiplyPublic() => _p.MultiplyVartime(_k);

    [Benchmark]
    public G2Projective G2MultiplySecret() => _q.Multiply(_k);

    [Benchmark]
    public G2Projective G2MultiplyPublic() => _q.MultiplyVartime(_k);

    [Benchmark]
    public bool G1DecompressWithSubgroupCheck() => G1Affine.TryFromCompressed(_g1Bytes, out _, out _);

    [Benchmark]
    public bool G2DecompressWithSubgroupCheck() => G2Affine.TryFromCompressed(_g2Bytes, out _, out _);
}
