using BenchmarkDotNet.Attributes;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;

namespace InternetIdentity.Protocol.Benchmarks;

/// <summary>Candid encode/decode of II's DeviceData (typed mapping and dynamic model) and of prepare_delegation's arguments.</summary>
[MemoryDiagnoser]
public class CandidBenchmarks
{
    private DeviceData _device = null!;
    private byte[] _deviceBytes = null!;
    private byte[] _prepareDelegationArgs = null!;
    private CandidType _deviceType = null!;

    public enum Purpose
    {
        Recovery,
        Authentication,
    }

    public enum KeyType
    {
        Unknown,
        Platform,
        CrossPlatform,
        SeedPhrase,
        BrowserStorageKey,
    }

    public enum DeviceProtection
    {
        Protected,
        Unprotected,
    }

    [CandidVariant]
    public abstract record MetadataEntry
    {
        public sealed record Map(IReadOnlyList<(string, MetadataEntry)> Value) : MetadataEntry;

        public sealed record String(string Value) : MetadataEntry;

        public sealed record Bytes(byte[] Value) : MetadataEntry;
    }

    public sealed record DeviceData(
        byte[] Pubkey, string Alias, byte[]? CredentialId, byte[]? Aaguid, Purpose Purpose, KeyType KeyType,
        DeviceProtection Protection, string? Origin, IReadOnlyList<(string, MetadataEntry)>? Metadata);

    [GlobalSetup]
    public void Setup()
    {
        // A WebAuthn passkey as II stores it: 77-byte COSE key in DER, 64-byte credential id, 16-byte AAGUID.
        _device = new DeviceData(
            Pubkey: Enumerable.Range(0, 77).Select(i => (byte)i).ToArray(),
            Alias: "MacBook Pro",
            CredentialId: Enumerable.Range(0, 64).Select(i => (byte)(i * 3)).ToArray(),
            Aaguid: new byte[16],
            Purpose: Purpose.Authentication,
            KeyType: KeyType.CrossPlatform,
            Protection: DeviceProtection.Unprotected,
            Origin: "https://identity.ic0.app",
            Metadata: [("usage", new MetadataEntry.String("passkey"))]);
        _deviceBytes = CandidArgs.Encode(_device);
        _deviceType = CandidMapping.CodecFor<DeviceData>().Type;
        _prepareDelegationArgs = CandidArgs.Encode(10_000UL, "https://dapp.example", new byte[44], (ulong?)1_800_000_000_000UL);
    }

    [Benchmark]
    public byte[] EncodeDeviceDataTyped() => CandidArgs.Encode(_device);

    [Benchmark]
    public DeviceData DecodeDeviceDataTyped() => CandidArgs.Decode<DeviceData>(_deviceBytes);

    [Benchmark]
    public IReadOnlyList<CandidValue> DecodeDeviceDataDynamic() => CandidDecoder.Decode(_deviceBytes, [_deviceType]);

    [Benchmark]
    public (ulong, string, byte[], ulong?) DecodePrepareDelegationArgs() =>
        CandidArgs.Decode<ulong, string, byte[], ulong?>(_prepareDelegationArgs);
}
