using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Tests.State;

/// <summary>
/// A status's subtree under <c>/request_status/&lt;rid&gt;</c> hashes as the interface spec builds it, although every
/// status shares its labels and its <c>status</c> leaf with the others.
/// </summary>
[TestFixture]
public sealed class RequestStatusTests
{
    private static readonly Principal Sender = Principal.Anonymous;
    private static readonly Principal Canister = Principal.CanisterId(7);

    private static RequestId Rid(byte b) => new(Enumerable.Repeat(b, 32).ToArray());

    private static HashTree Labeled(string label, byte[] value) => HashTree.Labeled(label, HashTree.Leaf(value));

    [Test]
    public void Subtree_ManyRepliedStatuses_EachHashesAsTheSpecBuildsIt()
    {
        // Hashed in turn, so a status's digest cannot come from a leaf or label another one left behind.
        foreach (byte i in new byte[] { 1, 2, 3, 2 })
        {
            byte[] reply = [0x44, 0x49, 0x44, 0x4C, i];
            LabeledTree subtree = RequestStatus.Replied(Rid(i), Sender, Canister, 10, reply).Subtree;
            HashTree spec = HashTree.Fork(Labeled("reply", reply), Labeled("status", "replied"u8.ToArray()));
            Assert.That(subtree.Digest.ToArray(), Is.EqualTo(spec.DigestArray()), $"status {i}");
            Assert.That(HashTree.Labeled(Rid(i).Bytes.ToArray(), subtree.ToHashTree()).DigestArray(),
                Is.EqualTo(HashTree.Labeled(Rid(i).Bytes.ToArray(), spec).DigestArray()));
        }
    }

    [Test]
    public void Subtree_RejectedStatus_HashesAsTheSpecBuildsIt()
    {
        LabeledTree subtree = RequestStatus.Rejected(Rid(9), Sender, Canister, 10, 5, "trapped", "IC0503").Subtree;
        HashTree spec = HashTree.Fork(
            HashTree.Fork(Labeled("error_code", "IC0503"u8.ToArray()), Labeled("reject_code", [5])),
            HashTree.Fork(Labeled("reject_message", "trapped"u8.ToArray()), Labeled("status", "rejected"u8.ToArray())));
        Assert.That(subtree.Digest.ToArray(), Is.EqualTo(spec.DigestArray()));
        Assert.That(subtree.Child("status")!.Value.ToArray(), Is.EqualTo("rejected"u8.ToArray()));
    }
}
