using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Signatures;
using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.ThresholdSigning.Benchmarks;

/// <summary>The operations a replica performs per certified height: hash, sign, verify, batch verify, combine.</summary>
public class SignatureBenchmarks
{
    private SecretKey _sk = null!;
    private byte[] _msg = [];
    private Signature _sig = null!;
    private List<(PublicKey, byte[], Signature)> _batch = [];
    private ThresholdPublicKey _thresholdKey = null!;
    private List<SignatureShare> _shares = [];

    [GlobalSetup]
    public void Setup()
    {
        _sk = SecretKey.FromSeed(SHA256.HashData("bench key"u8));
        _msg = SHA256.HashData("ic-state-root"u8);
        _sig = _sk.Sign(_msg);
        _ = _sk.PublicKey.Prepared;
        for (int i = 0; i < 64; i++)
        {
            var key = SecretKey.FromSeed(SHA256.HashData(BitConverter.GetBytes(i)));
            byte[] m = SHA256.HashData(BitConverter.GetBytes(i + 1000));
            _batch.Add((key.PublicKey, m, key.Sign(m)));
            _ = key.PublicKey.Prepared;
        }

        Dealing dealing = Dealing.Create(0, 9, 13, SHA256.HashData("dealing"u8));
        _thresholdKey = new ThresholdPublicKey(dealing.Commitments);
        _shares = Enumerable.Range(0, 9).Select(i => dealing.ShareFor((uint)i).Sign(_msg)).ToList();
    }

    [Benchmark]
    public G1Projective HashToG1() => ThresholdSigning.HashToG1.Hash(_msg);

    [Benchmark]
    public Signature Sign() => _sk.Sign(_msg);

    [Benchmark]
    public bool Verify() => Bls.Verify(_sk.PublicKey, _msg, _sig);

    [Benchmark]
    public bool BatchVerify64() => Bls.BatchVerify(_batch, "r"u8);

    [Benchmark]
    public bool Combine9Of13() => _thresholdKey.TryCombine(_shares, out _, out _);
}
