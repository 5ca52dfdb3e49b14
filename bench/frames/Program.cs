using System.Diagnostics;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Genesis;
using NSec.Cryptography;

// The cost of signed peer frames, in process CPU time (the machine is shared: wall time is inflated by the load).
// dotnet run -c Release --project bench/frames
var random = new Random(1);
IReadOnlyList<GenesisConfig> configs = GenesisBuilder.Create(4, "127.0.0.1", 0, random.NextBytes);
var signer = new FrameSigner(configs[1].NodeKey, configs[1].SubnetId.Bytes, 1, 5);
FrameGate gate = FrameGate.For(configs[0]);
var share = new PeerMessage(1, new NotarizationShare(7, new byte[32], 1, new byte[64]));
var chunk = new CheckpointChunk(1, 7, 0, 1, new byte[512 * 1024]);
for (int round = 0; round < 3; round++)
{
    Frames("notarization share", share, 5000);
    Frames("512 KiB checkpoint chunk", chunk, 200);
    Raw(5000);
}

void Frames(string what, IReplicaMessage message, int n)
{
    var frames = new SignedFrame[n];
    TimeSpan start = Cpu();
    for (int i = 0; i < n; i++)
    {
        frames[i] = signer.Seal(message, 0);
    }

    TimeSpan sealed_ = Cpu() - start;
    start = Cpu();
    for (int i = 0; i < n; i++)
    {
        if (gate.Open(frames[i], out _) != FrameVerdict.Accepted)
        {
            throw new InvalidOperationException("a frame was not accepted");
        }
    }

    TimeSpan opened = Cpu() - start;
    Console.WriteLine($"{what} ({frames[0].Payload.Length} payload bytes): seal {sealed_.TotalMicroseconds / n:F1} us, open {opened.TotalMicroseconds / n:F1} us");
}

void Raw(int n)
{
    NodeKey key = configs[1].NodeKey;
    var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, key.PublicKey, KeyBlobFormat.RawPublicKey);
    byte[] message = new byte[87];
    byte[] signature = key.Sign(message);
    TimeSpan start = Cpu();
    for (int i = 0; i < n; i++)
    {
        signature = key.Sign(message);
    }

    TimeSpan signing = Cpu() - start;
    start = Cpu();
    for (int i = 0; i < n; i++)
    {
        _ = SignatureAlgorithm.Ed25519.Verify(publicKey, message, signature);
    }

    TimeSpan verifying = Cpu() - start;
    Console.WriteLine($"Ed25519 alone: sign {signing.TotalMicroseconds / n:F1} us, verify {verifying.TotalMicroseconds / n:F1} us");
}

static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;
