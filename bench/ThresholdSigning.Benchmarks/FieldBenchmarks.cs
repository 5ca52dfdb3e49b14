using BenchmarkDotNet.Attributes;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Benchmarks;

/// <summary>F_p multiply and square: every other cost scales with these.</summary>
[MemoryDiagnoser]
public class FieldBenchmarks
{
    private Fp _a, _b;
    private Fp2 _c, _d;

    [GlobalSetup]
    public void Setup()
    {
        _a = Fp.FromBigInteger(System.Numerics.BigInteger.Parse("123456789012345678901234567890123456789"));
        _b = _a.Square() + Fp.One;
        _c = new Fp2(_a, _b);
        _d = new Fp2(_b, _a);
    }

    [Benchmark]
    public Fp FpMultiply() => _a * _b;

    [Benchmark]
    public Fp FpSquare() => _a.Square();

    [Benchmark]
    public Fp2 Fp2Multiply() => _c * _d;

    [Benchmark]
    public Fp2 Fp2Square() => _c.Square();

    [Benchmark]
    public Fp FpInvert() => _a.Invert();
}
