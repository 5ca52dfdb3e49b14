using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Tests.State;

/// <summary>The incremental state tree must be the full rebuild's tree, height after height, whatever the history.</summary>
public class IncrementalStateTreeTests
{
    private const ulong Second = 1_000_000_000;
    private const ulong T0 = 1_700_000_000 * Second;
    private static readonly Principal Caller = Principal.SelfAuthenticating([1, 2, 3]);
    private static readonly IReadOnlyDictionary<string, CanisterMetadata> Metadata = new Dictionary<string, CanisterMetadata>
    {
        ["candid:service"] = new("service : {}"u8.ToArray(), true),
    };

    private static RequestId RandomId(Random random)
    {
        byte[] bytes = new byte[32];
        random.NextBytes(bytes);
        return new RequestId(bytes);
    }

    private static RequestStatus RandomStatus(Random random, RequestId id) => random.Next(3) == 0
        ? RequestStatus.Rejected(id, Caller, Principal.CanisterId(1), T0, 5, "trapped " + random.Next(), random.Next(2) == 0 ? "IC0503" : null)
        : RequestStatus.Replied(id, Caller, Principal.CanisterId(1), T0, [.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => (byte)random.Next(256))]);

    private static CanisterStateView View(ulong index, byte[] certifiedData, int controllers) =>
        new(Principal.CanisterId(index), certifiedData, index % 2 == 0 ? null : new byte[32],
            [.. Enumerable.Range(0, controllers).Select(i => Principal.SelfAuthenticating([(byte)i]))], index % 3 == 0 ? new Dictionary<string, CanisterMetadata>() : Metadata);

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void Build_RandomHistories_SameRootAsFullRebuildAtEveryHeight(int seed)
    {
        var random = new Random(seed);
        SubnetTopology subnet = SubnetTopology.From(TestSubnets.Create(4)[0]);
        var incremental = new IncrementalStateTree();
        var shown = new Dictionary<RequestId, RequestStatus>();
        var canisters = new SortedDictionary<ulong, (byte[] Data, int Controllers)> { [1] = ([1], 1), [7] = ([], 0) };
        ulong time = T0;
        for (int height = 1; height <= 120; height++)
        {
            time += (ulong)random.Next(0, 3) * Second;
            int adds = random.Next(10) == 0 ? random.Next(100, 400) : random.Next(0, 40);
            for (int i = 0; i < adds; i++)
            {
                RequestStatus s = RandomStatus(random, RandomId(random));
                shown.Add(s.Id, s);
                incremental.AddStatus(s);
            }

            foreach (RequestId id in shown.Keys.Where(_ => random.Next(8) == 0).ToList())
            {
                Assert.That(incremental.RemoveStatus(id), Is.True, $"seed {seed} height {height}");
                shown.Remove(id);
                if (random.Next(4) == 0)
                {
                    // Forgotten and given a new status before the next build.
                    RequestStatus again = RandomStatus(random, id);
                    shown.Add(id, again);
                    incremental.AddStatus(again);
                }
            }

            Assert.That(incremental.RemoveStatus(RandomId(random)), Is.False);
            foreach (ulong c in canisters.Keys.Where(_ => random.Next(3) == 0).ToList())
            {
                canisters[c] = ([.. Enumerable.Range(0, random.Next(0, 33)).Select(_ => (byte)random.Next(256))], random.Next(0, 3));
            }

            if (random.Next(10) == 0)
            {
                ulong c = (ulong)random.Next(0, 20);
                if (!canisters.Remove(c))
                {
                    canisters[c] = ([], 1);
                }
            }

            CanisterStateView[] views = [.. canisters.Select(kv => View(kv.Key, kv.Value.Data, kv.Value.Controllers))];
            LabeledTree expected = StateTree.Build(time, subnet, views, shown.Values);
            LabeledTree actual = incremental.Build(time, subnet, views);
            Assert.That(incremental.StatusCount, Is.EqualTo(shown.Count));
            Assert.That(Convert.ToHexStringLower(actual.Digest), Is.EqualTo(Convert.ToHexStringLower(expected.Digest)),
                $"seed {seed}, height {height}, {shown.Count} statuses");
            if (shown.Count > 0)
            {
                RequestId probe = shown.Keys.ElementAt(random.Next(shown.Count));
                Label[] path = ["request_status", probe.Bytes.ToArray()];
                HashTree witness = actual.Witness([path]);
                Assert.That(witness.Encode(), Is.EqualTo(expected.Witness([path]).Encode()), $"seed {seed}, height {height}: witness");
                Assert.That(witness.DigestArray(), Is.EqualTo(actual.Digest.ToArray()), $"seed {seed}, height {height}: witness root");
                Assert.That(witness.LookupPath([.. path, "reply"]).Status, Is.EqualTo(shown[probe].Reply is null ? LookupStatus.Absent : LookupStatus.Found));
            }

            Label[] absent = ["request_status", RandomId(random).Bytes.ToArray()];
            HashTree absence = actual.Witness([absent]);
            Assert.That(absence.DigestArray(), Is.EqualTo(actual.Digest.ToArray()), $"seed {seed}, height {height}: absence witness root");
            Assert.That(absence.LookupPath(absent).Status, Is.EqualTo(LookupStatus.Absent), $"seed {seed}, height {height}: absence");
        }
    }

    [Test]
    public void Build_NothingChanged_ReusesTheStatusSubtree()
    {
        SubnetTopology subnet = SubnetTopology.From(TestSubnets.Create(4)[0]);
        var incremental = new IncrementalStateTree();
        incremental.AddStatus(RandomStatus(new Random(5), RandomId(new Random(6))));
        LabeledTree first = incremental.Build(T0, subnet, [View(1, [1], 1)]);
        LabeledTree second = incremental.Build(T0 + Second, subnet, [View(1, [1], 1)]);
        Assert.That(second.Child("request_status"), Is.SameAs(first.Child("request_status")));
        Assert.That(second.Child("canister")!.Child(Principal.CanisterId(1)), Is.SameAs(first.Child("canister")!.Child(Principal.CanisterId(1))));
        Assert.That(second.Digest.ToArray(), Is.Not.EqualTo(first.Digest.ToArray()), "the time differs");
    }

    [Test]
    public void AddStatus_IdAlreadyShown_Throws()
    {
        var incremental = new IncrementalStateTree();
        var random = new Random(9);
        RequestId id = RandomId(random);
        incremental.AddStatus(RandomStatus(random, id));
        Assert.Throws<ArgumentException>(() => incremental.AddStatus(RandomStatus(random, id)));
        incremental.Build(T0, SubnetTopology.From(TestSubnets.Create(4)[0]), []);
        Assert.Throws<ArgumentException>(() => incremental.AddStatus(RandomStatus(random, id)));
    }

    [TestCase(11)]
    [TestCase(12)]
    public void ExecutionState_RandomBatchesWithExpiry_TreeEqualsFullRebuild(int seed)
    {
        var random = new Random(seed);
        SubnetTopology subnet = SubnetTopology.From(TestSubnets.Create(4)[0]);
        var counter = new CounterCanister();
        var state = new ExecutionState([new InstalledCanister(CounterCanister.Id, counter, [Caller])], 0);
        var sent = new List<RequestId>();
        ulong time = T0;
        for (int height = 1; height <= 80; height++)
        {
            time += (ulong)random.Next(0, 20) * Second;
            var messages = new List<IngressMessage>();
            for (int i = random.Next(0, 30); i > 0; i--)
            {
                RequestId id = random.Next(10) == 0 && sent.Count > 0 ? sent[random.Next(sent.Count)] : RandomId(random);
                string method = random.Next(6) switch { 0 => "inc_then_throw", 1 => "reject", _ => "inc" };
                messages.Add(new IngressMessage(id, Caller, CounterCanister.Id, method, "DIDL\0\0"u8.ToArray(), time + (ulong)random.Next(1, 120) * Second));
                sent.Add(id);
            }

            state.Execute(new Batch((ulong)height, time, new byte[32], messages));
            RequestStatus[] held = [.. sent.Distinct().Select(state.Status).OfType<RequestStatus>()];
            Assert.That(held, Has.Length.EqualTo(state.StatusCount));
            LabeledTree expected = StateTree.Build(state.TimeNanos, subnet, state.Canisters.Select(ExecutionState.View), held);
            Assert.That(Convert.ToHexStringLower(state.BuildTree(subnet).Digest), Is.EqualTo(Convert.ToHexStringLower(expected.Digest)),
                $"seed {seed}, height {height}");
        }
    }
}
