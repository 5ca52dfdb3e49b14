using BenchmarkDotNet.Attributes;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.ThresholdSigning.Benchmarks;

/// <summary>Issue 16: SHA-256 one-shots of small inputs, the BCL's EVP path against libcrypto's low-level functions.</summary>
[MemoryDiagnoser]
public class Sha256Benchmarks
{
    private byte[] _data = [];
    private readonly byte[] _digest = new byte[32];

    [Params(32, 64, 200, 1000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup() => _data = Enumerable.Range(0, Length).Select(i => (byte)i).ToArray();

    [Benchmark(Baseline = true)]
    public int SystemSha256() => System.Security.Cryptography.SHA256.HashData(_data, _digest);

    [Benchmark]
    public int HashingSha256() => Sha256.HashData(_data, _digest);
}
