using System.Buffers.Binary;
using System.Security.Cryptography;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Simulation;

/// <summary>
/// A deterministic stand-in for execution: the state root after height h hashes the previous root, the height, the
/// block time and every executed request. It executes whatever consensus hands it, so the checker sees replays.
/// </summary>
internal sealed class ToyStateMachine
{
    public static readonly byte[] GenesisRoot = SHA256.HashData("toy-state-machine-genesis"u8);

    public long Height { get; private set; }

    public byte[] Root { get; private set; } = GenesisRoot;

    public void Restore(long height, byte[] root)
    {
        Height = height;
        Root = root;
    }

    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public byte[] Execute(Block block)
    {
        IncrementalHash sha = _sha;
        Span<byte> word = stackalloc byte[8];
        sha.AppendData(Root);
        BinaryPrimitives.WriteInt64BigEndian(word, block.Height);
        sha.AppendData(word);
        BinaryPrimitives.WriteInt64BigEndian(word, block.TimeMs);
        sha.AppendData(word);
        foreach (IngressMessage m in block.Payload)
        {
            sha.AppendData(m.RequestId.ToBytes());
            sha.AppendData(m.Content);
        }
        Root = sha.GetHashAndReset();
        Height = block.Height;
        return Root;
    }
}
