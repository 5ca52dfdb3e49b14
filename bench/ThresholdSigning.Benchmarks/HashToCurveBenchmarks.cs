using BenchmarkDotNet.Attributes;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.HashToCurve;

namespace InternetIdentity.ThresholdSigning.Benchmarks;

/// <summary>RFC 9380 hashing stages with the IC signature DST and a 45-byte state-root-sized message.</summary>
[MemoryDiagnoser]
public class HashToCurveBenchmarks
{
    private static readonly byte[] s_dst = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"u8.ToArray();
    private readonly byte[] _message = Convert.FromHexString(
        "0d69632d73746174652d726f6f74a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90");
    private readonly byte[] _uniform = new byte[128];
    private readonly Fp[] _u = new Fp[2];
    private readonly Fp2[] _u2 = new Fp2[2];

    [GlobalSetup]
    public void Setup()
    {
        HashToField.HashToFp(_message, s_dst, _u);
        HashToField.HashToFp2(_message, s_dst, _u2);
    }

    // One F_p multiplication, to express the other figures in multiplications under the same machine load.
    [Benchmark(Baseline = true)]
    public Fp FpMultiplyBaseline() => _u[0] * _u[1];

    [Benchmark]
    public byte ExpandMessage128()
    {
        ExpandMessageXmd.Expand(_message, s_dst, _uniform);
        return _uniform[0];
    }

    [Benchmark]
    public Fp HashToFieldFp2Elements()
    {
        Span<Fp> u = stackalloc Fp[2];
        HashToField.HashToFp(_message, s_dst, u);
        return u[1];
    }

    [Benchmark]
    public G1Affine MapToCurveSumG1() => SswuG1.MapToCurveSumG1(_u[0], _u[1]);

    [Benchmark]
    public G1Projective MapToCurveSumG1Projective() => SswuG1.MapToCurveSumG1Projective(_u[0], _u[1]);

    [Benchmark]
    public G1Projective HashToG1Full()
    {
        Span<Fp> u = stackalloc Fp[2];
        HashToField.HashToFp(_message, s_dst, u);
        return SswuG1.MapToCurveSumG1Projective(u[0], u[1]).ClearCofactor();
    }

    [Benchmark]
    public G2Affine MapToCurveSumG2() => SswuG2.MapToCurveSumG2(_u2[0], _u2[1]);
}
