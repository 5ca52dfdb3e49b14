using BenchmarkDotNet.Attributes;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;

namespace InternetIdentity.Protocol.Benchmarks;

/// <summary>Decoding and verifying real mainnet certificates (with a subnet delegation: two BLS verifications).</summary>
[MemoryDiagnoser]
public class CertificateBenchmarks
{
    private byte[] _delegatedBody = null!;
    private Certificate _delegated = null!;
    private Certificate _root = null!;
    private CertificateVerificationOptions _delegatedOptions = null!;
    private CertificateVerificationOptions _rootOptions = null!;

    [GlobalSetup]
    public void Setup()
    {
        _delegatedBody = BenchVectors.Certificate("ivg37_time.bin");
        _delegated = Certificate.DecodeCertificateOrResponse(_delegatedBody);
        _root = Certificate.Decode(Convert.FromHexString(File.ReadAllText(BenchVectors.Path("certificates", "agentjs_golden_mainnetSystem.cert.hex")).Trim()));
        _rootOptions = new CertificateVerificationOptions { RootKey = IcRootKeys.MainnetDer.ToArray() };
        _delegatedOptions = _rootOptions with { EffectiveCanisterId = Principal.Parse("ivg37-qiaaa-aaaab-aaaga-cai") };
    }

    [Benchmark]
    public Certificate DecodeReadStateResponse() => Certificate.DecodeCertificateOrResponse(_delegatedBody);

    [Benchmark]
    public VerificationResult VerifyDelegated() => CertificateVerifier.Verify(_delegated, _delegatedOptions);

    [Benchmark]
    public VerificationResult VerifyRootSigned25KB() => CertificateVerifier.Verify(_root, _rootOptions);
}
