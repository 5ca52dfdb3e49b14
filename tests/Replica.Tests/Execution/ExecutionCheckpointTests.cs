using System.Diagnostics;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Tests.Execution;

public class ExecutionCheckpointTests
{
    internal const ulong Second = 1_000_000_000;
    internal const ulong T0 = 1_700_000_000 * Second;
    internal static readonly SubnetTopology Topology = SubnetTopology.From(TestSubnets.Create(4)[0]);

    // n registrations in batches of 50, one call to an unknown method (a certified reject) per batch.
    private static ExecutionState WithAnchors(int anchors, ulong expiry = T0 + 300 * Second)
    {
        var state = new ExecutionState(SubnetCanisters.Create(), 0);
        int n = 0;
        while (n < anchors)
        {
            var messages = new List<IngressMessage>();
            for (int i = 0; i < 50 && n < anchors; i++, n++)
            {
                byte[] key = IiRegistration.DeviceKey(n);
                messages.Add(new IngressMessage(RequestIdOf(n), IiRegistration.Caller(key), SubnetCanisters.InternetIdentityId, "register",
                    IiRegistration.Argument(key), expiry));
            }

            messages.Add(new IngressMessage(RequestIdOf(-n - 1), Principal.Anonymous, SubnetCanisters.InternetIdentityId, "no_such_method",
                "DIDL\0\0"u8.ToArray(), expiry));
            IReadOnlyList<RequestStatus> statuses = state.Execute(new Batch(state.Height + 1, T0 + state.Height * Second, new byte[32], messages));
            Assert.That(statuses, Has.Count.EqualTo(messages.Count), "every message executed");
            Assert.That(statuses.Take(statuses.Count - 1).All(s => s.IsReplied), Is.True, statuses.FirstOrDefault(s => !s.IsReplied)?.RejectMessage);
        }

        return state;
    }

    internal static RequestId RequestIdOf(int n)
    {
        byte[] id = new byte[32];
        BitConverter.TryWriteBytes(id, n);
        return new RequestId(id);
    }

    internal static byte[] Root(ExecutionState s) => s.BuildTree(Topology).Digest.ToArray();

    [Test]
    public void Restore_AnchorsAndStatuses_BuildsTheSameStateRoot()
    {
        ExecutionState original = WithAnchors(120);
        byte[] checkpoint = ExecutionCheckpoint.Take(original);

        var restored = new ExecutionState(SubnetCanisters.Create(), 0);
        ExecutionCheckpoint.Restore(restored, checkpoint);

        Assert.That(restored.Height, Is.EqualTo(original.Height));
        Assert.That(restored.TimeNanos, Is.EqualTo(original.TimeNanos));
        Assert.That(restored.StatusCount, Is.EqualTo(123), "120 registrations and 3 rejected calls");
        Assert.That(Root(restored), Is.EqualTo(Root(original)));
        Assert.That(ExecutionCheckpoint.Take(restored), Is.EqualTo(checkpoint), "equal states give equal bytes");
        Assert.That(ExecutionCheckpoint.HeightOf(checkpoint), Is.EqualTo(original.Height));
    }

    [Test]
    public void Capture_StateExecutesOnBeforeTheWrite_WritesTheCapturedHeight()
    {
        ExecutionState state = WithAnchors(120);
        byte[] atCapture = ExecutionCheckpoint.Take(state);
        ulong height = state.Height;
        ExecutionCheckpoint.CapturedCheckpoint captured = ExecutionCheckpoint.Capture(state);

        // The replica's execution goes on (a registration and a status more) while the capture waits to be written.
        byte[] key = IiRegistration.DeviceKey(500);
        state.Execute(new Batch(height + 1, T0 + 100 * Second, new byte[32],
            [new IngressMessage(RequestIdOf(500), IiRegistration.Caller(key), SubnetCanisters.InternetIdentityId, "register", IiRegistration.Argument(key), T0 + 300 * Second)]));
        Assert.That(ExecutionCheckpoint.Take(state), Is.Not.EqualTo(atCapture), "the state moved on");

        byte[] written = captured.Prepare().Write();
        Assert.That(written, Is.EqualTo(atCapture), "the capture's bytes are those of its own height");
        Assert.That(ExecutionCheckpoint.HeightOf(written), Is.EqualTo(height));
        Assert.That(captured.EstimatedLength, Is.GreaterThanOrEqualTo(written.Length), "123 statuses estimated at 512 bytes each");
        Assert.That(captured.Prepare().Write(), Is.EqualTo(atCapture), "written again, the same bytes");
    }

    [Test]
    public void WriteTo_PooledBufferLongerThanTheCheckpoint_SameBytesAsWriteAndTheRestUntouched()
    {
        ExecutionState state = WithAnchors(120);
        ExecutionCheckpoint.PreparedCheckpoint prepared = ExecutionCheckpoint.Prepare(state);
        byte[] buffer = Enumerable.Repeat((byte)0xEE, (int)prepared.Length + 100).ToArray(); // a rented buffer holds old bytes

        prepared.WriteTo(buffer);

        Assert.That(buffer[..(int)prepared.Length], Is.EqualTo(prepared.Write()));
        Assert.That(buffer[(int)prepared.Length..], Is.All.EqualTo((byte)0xEE), "nothing written past the checkpoint");
        ExecutionState restored = WithAnchors(0);
        ExecutionCheckpoint.Restore(restored, buffer.AsSpan(0, (int)prepared.Length));
        Assert.That(Root(restored), Is.EqualTo(Root(state)), "the canister snapshot written into old bytes restores");
    }

    [Test]
    public void WriteTo_BufferShorterThanTheCheckpoint_ArgumentException()
    {
        ExecutionCheckpoint.PreparedCheckpoint prepared = ExecutionCheckpoint.Prepare(WithAnchors(3));
        Assert.Throws<ArgumentException>(() => prepared.WriteTo(new byte[prepared.Length - 1]));
    }

    [Test]
    public void Restore_ThenExecuteTheSameBatch_StaysInStepWithTheOriginal()
    {
        ExecutionState original = WithAnchors(60);
        var restored = new ExecutionState(SubnetCanisters.Create(), 0);
        ExecutionCheckpoint.Restore(restored, ExecutionCheckpoint.Take(original));
        byte[] key = IiRegistration.DeviceKey(1000);
        IngressMessage[] next =
        [
            new(RequestIdOf(1000), IiRegistration.Caller(key), SubnetCanisters.InternetIdentityId, "register", IiRegistration.Argument(key), T0 + 300 * Second),
            new(RequestIdOf(5), IiRegistration.Caller(IiRegistration.DeviceKey(5)), SubnetCanisters.InternetIdentityId, "register",
                IiRegistration.Argument(IiRegistration.DeviceKey(5)), T0 + 300 * Second), // a replay: already executed, must not run again
        ];
        var batch = new Batch(original.Height + 1, T0 + 100 * Second, new byte[32], next);
        IReadOnlyList<RequestStatus> a = original.Execute(batch);
        IReadOnlyList<RequestStatus> b = restored.Execute(batch);
        Assert.That(b.Select(s => s.Id), Is.EqualTo(a.Select(s => s.Id)));
        Assert.That(b, Has.Count.EqualTo(1), "the replayed request id ran once, before the checkpoint");
        Assert.That(b[0].Reply, Is.EqualTo(a[0].Reply), "same anchor number on both");
        Assert.That(Root(restored), Is.EqualTo(Root(original)));
    }

    [Test]
    public void Restore_ExpiriesSurvive_StatusesAreForgottenAtTheSameHeight()
    {
        ExecutionState original = WithAnchors(10, expiry: T0 + 5 * Second);
        var restored = new ExecutionState(SubnetCanisters.Create(), 0);
        ExecutionCheckpoint.Restore(restored, ExecutionCheckpoint.Take(original));
        var later = new Batch(original.Height + 1, T0 + 10 * Second, new byte[32], []);
        original.Execute(later);
        restored.Execute(later);
        Assert.That(restored.StatusCount, Is.Zero);
        Assert.That(Root(restored), Is.EqualTo(Root(original)));
    }

    [Test]
    public void Restore_MalformedBytes_ThrowsFormatExceptionAndLeavesTheStateAsItWas()
    {
        ExecutionState target = WithAnchors(20);
        byte[] before = Root(target);
        byte[] good = ExecutionCheckpoint.Take(WithAnchors(40));
        var cases = new Dictionary<string, byte[]>
        {
            ["empty"] = [],
            ["bad magic"] = [.. "XXXX"u8, .. good[4..]],
            ["bad version"] = [.. good[..4], 9, .. good[5..]],
            ["truncated"] = good[..(good.Length / 2)],
            ["trailing byte"] = [.. good, 0],
            ["huge count"] = [.. good[..21], 0xFF, 0xFF, 0xFF, 0xFF, .. good[25..]],
        };
        // Corrupt the II snapshot itself (it sits after whoami's entry): the canister refuses it after whoami's restore.
        byte[] corruptSnapshot = (byte[])good.Clone();
        int iiSnapshotStart = 25 + 1 + WhoamiLength() + 1 + 1 + SubnetCanisters.InternetIdentityId.Length + 1 + 4;
        corruptSnapshot[iiSnapshotStart] ^= 0xFF;
        cases["corrupt canister snapshot"] = corruptSnapshot;

        foreach ((string name, byte[] bytes) in cases)
        {
            Assert.That(() => ExecutionCheckpoint.Restore(target, bytes), Throws.InstanceOf<FormatException>(), name);
            Assert.That(Root(target), Is.EqualTo(before), name + ": nothing restored");
            Assert.That(target.StatusCount, Is.EqualTo(21), name);
        }
    }

    private static int WhoamiLength() => Replica.Canisters.WhoamiCanister.Id.Length;

    [Test]
    public void Restore_SecondCanisterRefusesItsSnapshot_FirstIsRolledBack()
    {
        static ExecutionState CounterAndIi(ulong count)
        {
            var counter = new CounterCanister();
            var state = new ExecutionState([new InstalledCanister(CounterCanister.Id, counter, []), .. SubnetCanisters.Create().Where(c => c.Id != Replica.Canisters.WhoamiCanister.Id)], 0);
            var calls = Enumerable.Range(0, (int)count).Select(i => new IngressMessage(RequestIdOf(i), Principal.Anonymous, CounterCanister.Id, "inc", [], T0 + 60 * Second));
            state.Execute(new Batch(1, T0, new byte[32], [.. calls]));
            return state;
        }

        ExecutionState target = CounterAndIi(2);
        byte[] checkpoint = ExecutionCheckpoint.Take(CounterAndIi(7));
        // counter (id 1, 8-byte snapshot) comes first, then II: flip II's first snapshot byte.
        int iiSnapshotStart = 25 + (1 + CounterCanister.Id.Length + 1 + 4 + 8) + (1 + SubnetCanisters.InternetIdentityId.Length + 1 + 4);
        checkpoint[iiSnapshotStart] ^= 0xFF;
        Assert.That(() => ExecutionCheckpoint.Restore(target, checkpoint), Throws.InstanceOf<FormatException>());
        Assert.That(((CounterCanister)target.Canister(CounterCanister.Id)!.Canister).Count, Is.EqualTo(2), "the counter's restore was undone");
        Assert.That(target.StatusCount, Is.EqualTo(2));
    }

    [Test]
    public void TryInstall_MatchingRoot_Installs()
    {
        ExecutionState source = WithAnchors(30);
        var target = new ExecutionState(SubnetCanisters.Create(), 0);
        Assert.That(ExecutionCheckpoint.TryInstall(target, ExecutionCheckpoint.Take(source), Topology, Root(source), out string? error), Is.True, error);
        Assert.That(Root(target), Is.EqualTo(Root(source)));
    }

    [Test]
    public void TryInstall_OtherRootOrMalformed_FalseAndStateUnchanged()
    {
        ExecutionState source = WithAnchors(30);
        ExecutionState target = WithAnchors(10);
        byte[] before = Root(target);
        byte[] wrongRoot = Root(WithAnchors(31));
        Assert.That(ExecutionCheckpoint.TryInstall(target, ExecutionCheckpoint.Take(source), Topology, wrongRoot, out string? error), Is.False);
        Assert.That(error, Does.Contain("state root"));
        Assert.That(Root(target), Is.EqualTo(before));
        Assert.That(ExecutionCheckpoint.TryInstall(target, [1, 2, 3], Topology, Root(source), out error), Is.False);
        Assert.That(error, Does.Contain("truncated"));
        Assert.That(Root(target), Is.EqualTo(before));
    }

    [Test]
    public void TryInstall_OtherRoot_ErrorNamesTheCheckpointsHeight()
    {
        ExecutionState source = WithAnchors(30);
        var target = new ExecutionState(SubnetCanisters.Create(), 0);
        Assert.That(ExecutionCheckpoint.TryInstall(target, ExecutionCheckpoint.Take(source), Topology, new byte[32], out string? error), Is.False);
        Assert.That(error, Does.StartWith($"the checkpoint at height {source.Height} builds"), "not the replica's own height 0");
        Assert.That(target.Height, Is.Zero);
    }

    [Test]
    public void Restore_CheckpointOfOtherCanisters_ThrowsFormatException()
    {
        var counterOnly = new ExecutionState([new InstalledCanister(CounterCanister.Id, new CounterCanister(), [])], 0);
        byte[] checkpoint = ExecutionCheckpoint.Take(counterOnly);
        var target = new ExecutionState(SubnetCanisters.Create(), 0);
        Assert.That(() => ExecutionCheckpoint.Restore(target, checkpoint), Throws.InstanceOf<FormatException>().With.Message.Contains("canisters"));
    }

    [Test]
    [Explicit("measurement: prints checkpoint size and times for 10,000 anchors")]
    public void Take_TenThousandAnchors_SizeAndTime()
    {
        ExecutionState state = WithAnchors(10_000);
        var watch = Stopwatch.StartNew();
        byte[] checkpoint = ExecutionCheckpoint.Take(state);
        long take = watch.ElapsedMilliseconds;
        watch.Restart();
        var restored = new ExecutionState(SubnetCanisters.Create(), 0);
        ExecutionCheckpoint.Restore(restored, checkpoint);
        long restore = watch.ElapsedMilliseconds;
        TestContext.Out.WriteLine($"10,000 anchors + {state.StatusCount} statuses: {checkpoint.Length:N0} bytes, take {take} ms, restore {restore} ms");
        Assert.That(Root(restored), Is.EqualTo(Root(state)));
    }
}
