using System.Numerics;
using BenchmarkDotNet.Attributes;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.Pairing;

namespace InternetIdentity.ThresholdSigning.Benchmarks;

/// <summary>The pairing and its building blocks: F_p12 arithmetic, Miller loop, final exponentiation, pairing checks.</summary>
[MemoryDiagnoser]
public class PairingBenchmarks
{
    private static readonly BigInteger s_p = Fp.Modulus;

    private Fp _fpA, _fpB;
    private Fp12 _a, _b, _cyclotomic;
    private G1Affine _p1, _p2;
    private G2Affine _q;
    private G2Prepared _q1 = null!, _q2 = null!;
    private (G1Affine, G2Prepared)[] _one = null!, _two = null!;

    [GlobalSetup]
    public void Setup()
    {
        Fp Value(int seed) => Fp.FromBigInteger(BigInteger.Pow(7919 + seed, 97) % s_p);
        Fp2 Value2(int seed) => new(Value(seed), Value(seed + 1));
        Fp6 Value6(int seed) => new(Value2(seed), Value2(seed + 2), Value2(seed + 4));
        _fpA = Value(1);
        _fpB = Value(2);
        _a = new Fp12(Value6(10), Value6(20));
        _b = new Fp12(Value6(30), Value6(40));
        Fp12 g = _a.Conjugate() * _a.Invert();
        _cyclotomic = g.FrobeniusMap(2) * g;

        _p1 = new G1Affine(
            Fp.FromBigInteger(BigInteger.Parse("017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb", System.Globalization.NumberStyles.HexNumber)),
            Fp.FromBigInteger(BigInteger.Parse("008b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1", System.Globalization.NumberStyles.HexNumber)));
        _p2 = _p1.Negate();
        _q = new G2Affine(
            Fp2.FromBigIntegers(
                BigInteger.Parse("0024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8", System.Globalization.NumberStyles.HexNumber),
                BigInteger.Parse("013e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e", System.Globalization.NumberStyles.HexNumber)),
            Fp2.FromBigIntegers(
                BigInteger.Parse("00ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801", System.Globalization.NumberStyles.HexNumber),
                BigInteger.Parse("00606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be", System.Globalization.NumberStyles.HexNumber)));
        _q1 = G2Prepared.FromAffine(_q);
        _q2 = G2Prepared.FromAffine(_q);
        _one = [(_p1, _q1)];
        _two = [(_p1, _q1), (_p2, _q2)];
        if (!OptimalAte.PairingProductIsOne(_two))
        {
            throw new InvalidOperationException("e(P, Q)·e(-P, Q) must be 1");
        }
    }

    [Benchmark]
    public Fp FpMultiply() => _fpA * _fpB;

    [Benchmark]
    public Fp12 Fp12Multiply() => _a * _b;

    [Benchmark]
    public Fp12 Fp12Square() => _a.Square();

    [Benchmark]
    public Fp12 Fp12CyclotomicSquare() => _cyclotomic.CyclotomicSquare();

    [Benchmark]
    public G2Prepared PrepareG2() => G2Prepared.FromAffine(_q);

    [Benchmark]
    public Fp12 MillerLoopPrepared() => OptimalAte.MillerLoop(_one);

    [Benchmark]
    public Gt FinalExponentiation() => OptimalAte.FinalExponentiation(_a);

    [Benchmark]
    public Gt Pairing() => OptimalAte.Pair(_p1, _q);

    [Benchmark]
    public bool PairingProductIsOne2Prepared() => OptimalAte.PairingProductIsOne(_two);
}
