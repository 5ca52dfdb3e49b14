using System.Buffers.Binary;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.Consensus.Simulation;

/// <summary>
/// A deterministic stand-in for execution: the state root after height h hashes the previous root, the height, the
/// block time and every executed request. It executes whatever consensus hands it, so the checker sees replays.
/// </summary>
internal sealed class ToyStateMachine
{
    public static readonly byte[] GenesisRoot = Sha256.HashData("toy-state-machine-genesis"u8);

    public long Height { get; private set; }

    public byte[] Root { get; private set; } = GenesisRoot;

    public void Restore(long height, byte[] root)
    {
        Height = height;
        Root = root;
    }

    public byte[] Execute(Block block)
    {
        using var sha = new Sha256Hasher();
        Span<byte> word = stackalloc byte[8];
        sha.Append(Root);
        BinaryPrimitives.WriteInt64BigEndian(word, block.Height);
        sha.Append(word);
        BinaryPrimitives.WriteInt64BigEndian(word, block.TimeMs);
        sha.Append(word);
        foreach (IngressMessage m in block.Payload)
        {
            sha.Append(m.RequestId.ToBytes());
            sha.Append(m.Content);
        }
        Root = sha.GetHashAndReset();
        Height = block.Height;
        return Root;
    }
}
