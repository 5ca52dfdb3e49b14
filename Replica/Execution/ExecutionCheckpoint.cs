using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Execution;

/// <summary>
/// A replica's execution state as bytes: height, time, every canister's snapshot (<see cref="ICanisterSnapshots"/>)
/// and the request statuses with their expiries. Replicas that executed the same batches give equal bytes (canisters by
/// id, statuses by segment and in the order recorded), a state restored from a checkpoint gives that checkpoint's bytes,
/// and it builds the same state tree, so a checkpoint fetched from a peer can be checked against a certified state root
/// before it is installed.
/// <para>
/// Layout (big-endian): "IICP", version 1, height u64, time u64, canister count u32, then per canister its id
/// (u8 length + bytes) and snapshot (u8 present; u32 length + bytes), then status count u32, then per status: request
/// id (32 bytes), sender, canister, expiry u64, and either 0 + reply (u32 length + bytes) or 1 + reject code u32 +
/// message + optional error code (u8 present + UTF-8 with u32 length). Version 2 adds the management canister's canister
/// snapshots: the next snapshot id u64, count u32, then per snapshot its canister, id (u32 length + bytes), time taken u64
/// and state (u32 length + bytes). Version 3 lists only the built-in canisters in the canister section and adds the
/// canisters created through the management canister: the id cursor u64, the controllers of every canister (count u32,
/// then per canister its id and u32 count + principals), and the hosted canisters (count u32, then per canister its id and
/// its <see cref="HostedCanister"/> snapshot: module, status, cycles, settings, Wasm state), then the inter-canister
/// messages (<see cref="CanisterMessaging.Snapshot"/>, u32 length + bytes). Version 4 adds every canister's change history
/// (<see cref="CanisterHistoryStore.Snapshot"/>, u32 length + bytes). Version 5 writes the request statuses as
/// <see cref="StatusSegment"/>s rather than sorted by id: the sealed segments (count u32, then per segment u32 length +
/// bytes) and the statuses recorded since the last seal (u32 length + bytes), each a run of statuses in the order
/// recorded, each status its recorded height u64 and then as above. A sealed segment's bytes are encoded once and reused
/// by every later checkpoint, and may still hold statuses that have expired: on restore a status is held when it was
/// recorded at the checkpoint's height or its expiry is not before the checkpoint's time, as the executing replica
/// prunes them. Versions 1 to 4 are still read (no history before 4; their statuses count as recorded at the height).
/// </para>
/// </summary>
public static class ExecutionCheckpoint
{
    private static ReadOnlySpan<byte> Magic => "IICP"u8;

    private const byte Version = 5;

    private static readonly byte[] s_emptyHistory = new CanisterHistoryStore().Snapshot();

    /// <summary>The state as checkpoint bytes.</summary>
    /// <exception cref="ArgumentException">a canister has state but cannot snapshot it.</exception>
    public static byte[] Take(ExecutionState state) => Prepare(state).Write();

    /// <summary>
    /// The state's checkpoint, its length known before any of it is written (<see cref="Capture"/>, then
    /// <see cref="CapturedCheckpoint.Prepare"/>).
    /// </summary>
    /// <exception cref="ArgumentException">a canister has state but cannot snapshot it.</exception>
    public static PreparedCheckpoint Prepare(ExecutionState state) => Capture(state).Prepare();

    /// <summary>
    /// What a checkpoint of the state holds, taken while the state is unchanged (the execution lock held): every
    /// canister's snapshot prepared and the mutable parts copied, with nothing counted, sorted or written yet. The
    /// capture stays valid after the state moves on, so the rest can be done off the lock.
    /// </summary>
    /// <exception cref="ArgumentException">a canister has state but cannot snapshot it.</exception>
    public static CapturedCheckpoint Capture(ExecutionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new CapturedCheckpoint(new Parts(state));
    }

    /// <summary>A checkpoint's parts, captured (see <see cref="Capture(ExecutionState)"/>).</summary>
    public sealed class CapturedCheckpoint
    {
        private readonly Parts _parts;

        internal CapturedCheckpoint(Parts parts) => _parts = parts;

        /// <summary>
        /// The length the checkpoint will have, estimated without counting: the canisters' snapshots and the other blobs
        /// exactly, each request status as <see cref="EstimatedStatusBytes"/>.
        /// </summary>
        public long EstimatedLength => _parts.EstimatedLength;

        /// <summary>
        /// Counts the checkpoint. Every part is made once, then written twice: counted, then into one array of exactly
        /// that length, so that a large state is never held in a doubling buffer and then copied out of it.
        /// </summary>
        public PreparedCheckpoint Prepare()
        {
            var counter = new LengthCounter();
            _parts.WriteTo(new Writer(counter));
            return new PreparedCheckpoint(_parts, counter.Length);
        }
    }

    /// <summary>What <see cref="CapturedCheckpoint.EstimatedLength"/> counts per request status (a status with its reply is about 300).</summary>
    public const int EstimatedStatusBytes = 512;

    /// <summary>A checkpoint counted but not yet written (see <see cref="Prepare(ExecutionState)"/>).</summary>
    public sealed class PreparedCheckpoint
    {
        private readonly Parts _parts;

        internal PreparedCheckpoint(Parts parts, long length)
        {
            _parts = parts;
            Length = length;
        }

        /// <summary>The checkpoint's length in bytes.</summary>
        public long Length { get; }

        /// <summary>The checkpoint bytes.</summary>
        public byte[] Write()
        {
            byte[] bytes = GC.AllocateUninitializedArray<byte>(checked((int)Length));
            WriteTo(bytes);
            return bytes;
        }

        /// <summary>
        /// Writes the checkpoint bytes into the first <see cref="Length"/> bytes of <paramref name="destination"/> (a
        /// pooled buffer, rather than a new zeroed array of tens of megabytes at every catch-up interval).
        /// </summary>
        /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Length"/>.</exception>
        public void WriteTo(byte[] destination)
        {
            ArgumentNullException.ThrowIfNull(destination);
            if (destination.LongLength < Length)
            {
                throw new ArgumentException($"the checkpoint is {Length} bytes; the destination holds {destination.LongLength}", nameof(destination));
            }

            // Over the array as it is: nothing is zeroed first, and a canister's prepared snapshot writes into it directly.
            using var buffer = new MemoryStream(destination, 0, (int)Length, writable: true, publiclyVisible: true);
            try
            {
                _parts.WriteTo(new Writer(buffer));
            }
            catch (NotSupportedException e)
            {
                throw new InvalidOperationException("the checkpoint's two passes differ in length", e); // the second wrote past the first's
            }

            if (buffer.Position != Length)
            {
                throw new InvalidOperationException("the checkpoint's two passes differ in length");
            }
        }
    }

    // The pieces of a checkpoint, each canister's snapshot taken once.
    internal sealed class Parts
    {
        private readonly ulong _height;
        private readonly ulong _time;
        private readonly (Principal Id, IPreparedSnapshot? Snapshot)[] _canisters;
        private readonly StatusSegment[] _sealed;
        private readonly RecordedStatus[] _open;
        private byte[]? _openBytes;
        private readonly ulong _nextSnapshotId;
        private readonly CanisterSnapshot[] _kept;
        private readonly ulong _nextIndex;
        private readonly InstalledCanister[] _all;
        private readonly (Principal Id, byte[] Snapshot)[] _hosted;
        private readonly byte[] _messages;
        private readonly byte[] _history;

        // A checkpoint is taken every hundred heights, too rarely for tiered compilation to reach optimized code within
        // minutes, and its loops run over every request status with the execution lock held: compiled optimized at once.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Parts(ExecutionState state)
        {
            _height = state.Height;
            _time = state.TimeNanos;
            _canisters = [.. state.Canisters.Where(c => state.Table.IsBuiltIn(c.Id)).OrderBy(c => c.Id)
                .Select(c => (c.Id, Prepare(c.Canister)))];
            _sealed = [.. state.SealedStatuses]; // each encoded once, on the first checkpoint that writes it (off the lock)
            _open = [.. state.OpenStatuses];
            CanisterSnapshotStore snapshotStore = state.Management.Snapshots;
            _kept = [.. snapshotStore.All];
            _nextSnapshotId = snapshotStore.NextLocalId;
            _nextIndex = state.Table.NextIndex;
            _all = [.. state.Canisters.OrderBy(c => c.Id)];
            _hosted = [.. state.Table.Hosted.OrderBy(c => c.Id).Select(c => (c.Id, ((HostedCanister)c.Canister).Snapshot()))];
            _messages = state.Messaging.Snapshot();
            _history = state.Management.History.Snapshot();
        }

        public long EstimatedLength =>
            _canisters.Sum(c => (long)(c.Snapshot?.Length ?? 0)) + _kept.Sum(k => (long)k.State.Length)
            + _hosted.Sum(h => (long)h.Snapshot.Length) + _messages.Length + _history.Length
            + _sealed.Sum(s => s.EstimatedLength) + (long)_open.Length * EstimatedStatusBytes;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void WriteTo(Writer w)
        {
            _openBytes ??= EncodeStatuses(_open);
            w.Bytes(Magic);
            w.U8(Version);
            w.U64(_height);
            w.U64(_time);
            w.U32((uint)_canisters.Length);
            foreach ((Principal id, IPreparedSnapshot? snapshot) in _canisters)
            {
                w.Principal(id);
                if (snapshot is not null)
                {
                    w.U8(1);
                    w.Prepared(snapshot);
                }
                else
                {
                    w.U8(0);
                }
            }

            w.U32((uint)_sealed.Length);
            foreach (StatusSegment segment in _sealed)
            {
                w.Blob(segment.Bytes);
            }

            w.Blob(_openBytes);
            w.U64(_nextSnapshotId);
            w.U32((uint)_kept.Length);
            foreach (CanisterSnapshot s in _kept)
            {
                w.Principal(s.CanisterId);
                w.Blob(s.Id);
                w.U64(s.TakenAtNanos);
                w.Blob(s.State);
            }

            w.U64(_nextIndex);
            w.U32((uint)_all.Length);
            foreach (InstalledCanister c in _all)
            {
                w.Principal(c.Id);
                w.U32((uint)c.Controllers.Count);
                foreach (Principal controller in c.Controllers)
                {
                    w.Principal(controller);
                }
            }

            w.U32((uint)_hosted.Length);
            foreach ((Principal id, byte[] snapshot) in _hosted)
            {
                w.Principal(id);
                w.Blob(snapshot);
            }

            w.Blob(_messages);
            w.Blob(_history);
        }
    }

    /// <summary>Statuses as a <see cref="StatusSegment"/>'s bytes: each its recorded height, then the status.</summary>
    internal static byte[] EncodeStatuses(IReadOnlyList<RecordedStatus> statuses)
    {
        var counter = new LengthCounter();
        WriteStatuses(new Writer(counter), statuses);
        using var buffer = new MemoryStream(checked((int)counter.Length));
        WriteStatuses(new Writer(buffer), statuses);
        return buffer.GetBuffer();
    }

    private static void WriteStatuses(Writer w, IReadOnlyList<RecordedStatus> statuses)
    {
        foreach ((ulong height, RequestStatus s) in statuses)
        {
            w.U64(height);
            w.Bytes(s.Id.Bytes);
            w.Principal(s.Sender);
            w.Principal(s.CanisterId);
            w.U64(s.ExpiryNanos);
            if (s.Reply is { } reply)
            {
                w.U8(0);
                w.Blob(reply);
            }
            else
            {
                w.U8(1);
                w.U32((uint)s.RejectCode);
                w.Text(s.RejectMessage!);
                w.U8(s.ErrorCode is null ? (byte)0 : (byte)1);
                if (s.ErrorCode is not null)
                {
                    w.Text(s.ErrorCode);
                }
            }
        }
    }

    // A segment's statuses (version 5), none recorded after the checkpoint's height.
    private static RecordedStatus[] DecodeStatuses(ReadOnlySpan<byte> bytes, ulong checkpointHeight)
    {
        var r = new Reader(bytes);
        var statuses = new List<RecordedStatus>();
        while (!r.AtEnd)
        {
            ulong height = r.U64();
            if (height > checkpointHeight)
            {
                throw new FormatException($"a request status recorded at height {height} in a checkpoint at height {checkpointHeight}");
            }

            statuses.Add(new RecordedStatus(height, ReadStatus(ref r)));
        }

        return [.. statuses];
    }

    private static RequestStatus ReadStatus(ref Reader r)
    {
        var id = new RequestId(r.Take(32));
        Principal sender = r.Principal();
        Principal canister = r.Principal();
        ulong expiry = r.U64();
        byte kind = r.U8();
        return kind switch
        {
            0 => RequestStatus.Replied(id, sender, canister, expiry, r.Blob().ToArray()),
            1 => Rejected(ref r, id, sender, canister, expiry),
            _ => throw new FormatException($"bad request status kind {kind}"),
        };
    }

    // A canister's snapshot, written straight into the checkpoint when the canister can (II); null: stateless (e.g. whoami).
    private static IPreparedSnapshot? Prepare(ICanister canister) => canister switch
    {
        ICanisterSnapshotWriter writer => writer.PrepareSnapshot(),
        ICanisterSnapshots snapshots => new ArraySnapshot(snapshots.Snapshot()),
        _ => null,
    };

    // The snapshot of a canister that makes its own array.
    private sealed class ArraySnapshot(byte[] bytes) : IPreparedSnapshot
    {
        public int Length => bytes.Length;

        public void WriteTo(Memory<byte> destination) => bytes.CopyTo(destination);
    }

    // A stream that only counts what is written to it.
    private sealed class LengthCounter : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) =>
            origin == SeekOrigin.Current && offset >= 0 ? _length += offset : throw new NotSupportedException(); // skips what Prepared counts

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override void WriteByte(byte value) => _length++;
    }

    /// <summary>The height a checkpoint was taken at, read from its header.</summary>
    /// <exception cref="FormatException">not a checkpoint.</exception>
    public static ulong HeightOf(ReadOnlySpan<byte> checkpoint)
    {
        var r = new Reader(checkpoint);
        ReadHeader(ref r);
        return r.U64();
    }

    /// <summary>
    /// Replaces <paramref name="state"/> with the checkpoint's. Either the whole checkpoint is installed or, when the
    /// bytes are malformed or do not fit the installed canisters, nothing changes and a <see cref="FormatException"/>
    /// says why.
    /// </summary>
    /// <exception cref="FormatException">malformed bytes, or a checkpoint of other canisters.</exception>
    public static void Restore(ExecutionState state, ReadOnlySpan<byte> checkpoint)
    {
        ArgumentNullException.ThrowIfNull(state);
        Parsed parsed = Parse(checkpoint);
        var installed = state.Canisters.Where(c => state.Table.IsBuiltIn(c.Id)).ToDictionary(c => c.Id);
        if (installed.Count != parsed.Canisters.Count || parsed.Canisters.Any(p => !installed.ContainsKey(p.Id)))
        {
            throw new FormatException(
                $"the checkpoint holds canisters [{string.Join(", ", parsed.Canisters.Select(c => c.Id))}], this replica runs [{string.Join(", ", installed.Keys)}]");
        }

        foreach ((Principal id, Range? snapshot) in parsed.Canisters)
        {
            if ((snapshot is not null) != installed[id].Canister is ICanisterSnapshots)
            {
                throw new FormatException($"canister {id}: the checkpoint {(snapshot is null ? "has no" : "has a")} snapshot, the installed canister {(snapshot is null ? "keeps" : "has no")} state");
            }
        }

        // The snapshots must fit the canisters and each other before anything changes.
        var hostedIds = parsed.Hosted.Select(h => h.Id).ToHashSet();
        if (parsed.Snapshots.FirstOrDefault(s => !installed.ContainsKey(s.CanisterId) && !hostedIds.Contains(s.CanisterId)) is { } orphan)
        {
            throw new FormatException($"the checkpoint holds a snapshot of canister {orphan.CanisterId}, which this replica does not run");
        }

        try
        {
            new CanisterSnapshotStore().ResetTo(parsed.Snapshots, parsed.NextSnapshotId);
        }
        catch (ArgumentException e)
        {
            throw new FormatException("the checkpoint's canister snapshots are inconsistent: " + e.Message, e);
        }

        if (parsed.Controllers.Keys.FirstOrDefault(id => !installed.ContainsKey(id) && !hostedIds.Contains(id)) is { } stray)
        {
            throw new FormatException($"the checkpoint names controllers of canister {stray}, which it does not hold");
        }

        byte[] messagesBefore = state.Messaging.Snapshot();
        state.Messaging.Restore(parsed.Messages ?? new CanisterMessaging(state.Table, state.Management).Snapshot()); // malformed: nothing changed yet

        // The hosted canisters first (all or nothing); the current ones are kept to put back if a built-in canister then
        // refuses its snapshot, so that a failure leaves the replica exactly as it was.
        var hostedBefore = state.Table.Hosted.Select(c => (c.Id, c.Controllers, ((HostedCanister)c.Canister).Snapshot())).ToList();
        ulong nextIndexBefore = state.Table.NextIndex;
        try
        {
            state.Table.ResetHosted([.. parsed.Hosted.Select(h => (h.Id, parsed.Controllers.GetValueOrDefault(h.Id) ?? (IReadOnlyList<Principal>)[], h.State))],
                parsed.NextCanisterIndex ?? nextIndexBefore);
        }
        catch (FormatException)
        {
            state.Messaging.Restore(messagesBefore);
            throw;
        }

        var restored = new List<(ICanisterSnapshots Canister, byte[] Before)>();
        try
        {
            foreach ((Principal id, Range? snapshot) in parsed.Canisters)
            {
                if (snapshot is { } range && installed[id].Canister is ICanisterSnapshots c)
                {
                    restored.Add((c, c.Snapshot()));
                    c.Restore(checkpoint[range]); // a slice: a large canister's state is not copied out of the checkpoint first
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach ((ICanisterSnapshots c, byte[] before) in restored)
            {
                c.Restore(before);
            }

            state.Table.ResetHosted(hostedBefore, nextIndexBefore);
            state.Messaging.Restore(messagesBefore);

            throw e as FormatException ?? new FormatException($"a canister snapshot in the checkpoint was refused: {e.Message}", e);
        }

        foreach ((Principal id, IReadOnlyList<Principal> controllers) in parsed.Controllers)
        {
            if (installed.ContainsKey(id))
            {
                state.Table.SetControllers(id, controllers);
            }
        }

        state.Management.Snapshots.ResetTo(parsed.Snapshots, parsed.NextSnapshotId);
        state.Management.History.Restore(parsed.History); // checked by Parse: cannot fail here
        state.ResetTo(parsed.Height, parsed.TimeNanos, parsed.Statuses, parsed.SealedStatuses, parsed.OpenStatuses);
    }

    /// <summary>
    /// Installs a checkpoint only if the state it holds builds <paramref name="expectedRoot"/> (a certified root, e.g.
    /// a catch-up package's): for bytes from a peer. On false the state is as before and <paramref name="error"/>
    /// says why (malformed, other canisters, or a different root).
    /// </summary>
    public static bool TryInstall(ExecutionState state, ReadOnlySpan<byte> checkpoint, SubnetTopology topology, ReadOnlySpan<byte> expectedRoot,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(topology);
        byte[] before = Take(state);
        try
        {
            Restore(state, checkpoint);
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }

        byte[] root = state.BuildTree(topology).Digest.ToArray();
        if (root.AsSpan().SequenceEqual(expectedRoot))
        {
            error = null;
            return true;
        }

        ulong height = state.Height; // the checkpoint's, before the replica's own state is put back
        Restore(state, before);
        error = $"the checkpoint at height {height} builds state root {Convert.ToHexStringLower(root)}, not {Convert.ToHexStringLower(expectedRoot)}";
        return false;
    }

    private sealed record Parsed(ulong Height, ulong TimeNanos, List<(Principal Id, Range? Snapshot)> Canisters, List<RequestStatus> Statuses,
        List<StatusSegment> SealedStatuses, RecordedStatus[] OpenStatuses, ulong NextSnapshotId, List<CanisterSnapshot> Snapshots, ulong? NextCanisterIndex, Dictionary<Principal, IReadOnlyList<Principal>> Controllers,
        List<(Principal Id, byte[] State)> Hosted, byte[]? Messages, byte[] History);

    private static byte ReadHeader(ref Reader r)
    {
        if (!r.Take(Magic.Length).SequenceEqual(Magic))
        {
            throw new FormatException("not an execution checkpoint (bad magic)");
        }

        byte version = r.U8();
        if (version is not (1 or 2 or 3 or 4 or Version))
        {
            throw new FormatException($"execution checkpoint version {version} is not supported (expected 1 to {Version})");
        }

        return version;
    }

    private static Parsed Parse(ReadOnlySpan<byte> bytes)
    {
        var r = new Reader(bytes);
        byte version = ReadHeader(ref r);
        ulong height = r.U64();
        ulong time = r.U64();
        uint canisterCount = r.Count(minBytesEach: 2);
        var canisters = new List<(Principal, Range?)>();
        var seen = new HashSet<Principal>();
        for (uint i = 0; i < canisterCount; i++)
        {
            Principal id = r.Principal();
            if (!seen.Add(id))
            {
                throw new FormatException($"canister {id} appears twice in the checkpoint");
            }

            byte present = r.U8();
            canisters.Add((id, present switch
            {
                0 => null,
                1 => r.BlobRange(),
                _ => throw new FormatException($"bad snapshot flag {present}"),
            }));
        }

        var statuses = new List<RequestStatus>();
        var sealedStatuses = new List<StatusSegment>();
        RecordedStatus[] openStatuses;
        var ids = new HashSet<RequestId>();
        if (version >= 5)
        {
            uint segmentCount = r.Count(minBytesEach: 4);
            for (uint i = 0; i < segmentCount; i++)
            {
                ReadOnlySpan<byte> segment = r.Blob();
                RecordedStatus[] recorded = DecodeStatuses(segment, height);
                if (recorded.Length == 0)
                {
                    throw new FormatException("an empty request status segment in the checkpoint");
                }

                Hold(recorded);
                sealedStatuses.Add(new StatusSegment(segment.ToArray(), recorded));
            }

            openStatuses = DecodeStatuses(r.Blob(), height);
            Hold(openStatuses);
        }
        else
        {
            uint statusCount = r.Count(minBytesEach: 32 + 1 + 1 + 8 + 1 + 4);
            openStatuses = new RecordedStatus[statusCount];
            for (uint i = 0; i < statusCount; i++)
            {
                openStatuses[i] = new RecordedStatus(height, ReadStatus(ref r));
            }

            Hold(openStatuses);
        }

        // Held as the replica that wrote the checkpoint held them.
        void Hold(RecordedStatus[] recorded)
        {
            foreach ((ulong at, RequestStatus s) in recorded)
            {
                if (!ids.Add(s.Id))
                {
                    throw new FormatException($"request {s.Id} appears twice in the checkpoint");
                }

                if (ExecutionState.Holds(at, s.ExpiryNanos, height, time))
                {
                    statuses.Add(s);
                }
            }
        }

        ulong nextSnapshotId = 0;
        var snapshots = new List<CanisterSnapshot>();
        if (version >= 2)
        {
            nextSnapshotId = r.U64();
            uint snapshotCount = r.Count(minBytesEach: 1 + 4 + 8 + 4);
            for (uint i = 0; i < snapshotCount; i++)
            {
                Principal canister = r.Principal();
                byte[] id = r.Blob().ToArray();
                ulong takenAt = r.U64();
                snapshots.Add(new CanisterSnapshot(id, canister, takenAt, r.Blob().ToArray()));
            }
        }

        ulong? nextCanisterIndex = null;
        var controllers = new Dictionary<Principal, IReadOnlyList<Principal>>();
        var hosted = new List<(Principal, byte[])>();
        byte[]? messages = null;
        if (version >= 3)
        {
            nextCanisterIndex = r.U64();
            uint controlled = r.Count(minBytesEach: 1 + 4);
            for (uint i = 0; i < controlled; i++)
            {
                Principal id = r.Principal();
                uint n = r.Count(minBytesEach: 1);
                var list = new List<Principal>((int)n);
                for (uint j = 0; j < n; j++)
                {
                    list.Add(r.Principal());
                }

                if (!controllers.TryAdd(id, list))
                {
                    throw new FormatException($"the controllers of canister {id} appear twice in the checkpoint");
                }
            }

            uint hostedCount = r.Count(minBytesEach: 1 + 4);
            for (uint i = 0; i < hostedCount; i++)
            {
                Principal id = r.Principal();
                if (!seen.Add(id))
                {
                    throw new FormatException($"canister {id} appears twice in the checkpoint");
                }

                hosted.Add((id, r.Blob().ToArray()));
            }

            messages = r.Blob().ToArray();
        }

        byte[] history = s_emptyHistory;
        if (version >= 4)
        {
            history = r.Blob().ToArray();
            new CanisterHistoryStore().Restore(history); // refuses malformed histories before anything changes
        }

        if (!r.AtEnd)
        {
            throw new FormatException($"{r.Remaining} bytes after the end of the checkpoint");
        }

        return new Parsed(height, time, canisters, statuses, sealedStatuses, openStatuses, nextSnapshotId, snapshots, nextCanisterIndex, controllers, hosted,
            messages, history);
    }

    private static RequestStatus Rejected(ref Reader r, RequestId id, Principal sender, Principal canister, ulong expiry)
    {
        uint code = r.U32();
        if (code is < 1 or > 6)
        {
            throw new FormatException($"reject code {code} is not one of the IC's (1..6)");
        }

        string message = r.Text();
        byte hasError = r.U8();
        string? error = hasError switch
        {
            0 => null,
            1 => r.Text(),
            _ => throw new FormatException($"bad error code flag {hasError}"),
        };
        return RequestStatus.Rejected(id, sender, canister, expiry, (int)code, message, error);
    }

    internal readonly struct Writer(Stream s)
    {
        public void Bytes(ReadOnlySpan<byte> b) => s.Write(b);

        public void U8(byte v) => s.WriteByte(v);

        public void U32(uint v)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b, v);
            s.Write(b);
        }

        public void U64(ulong v)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(b, v);
            s.Write(b);
        }

        public void Blob(ReadOnlySpan<byte> b)
        {
            U32((uint)b.Length);
            s.Write(b);
        }

        public void Text(string t) => Blob(Encoding.UTF8.GetBytes(t));

        // Like Blob, but the snapshot writes itself into the checkpoint's array (or is only counted).
        public void Prepared(IPreparedSnapshot p)
        {
            U32((uint)p.Length);
            if (s is MemoryStream exact)
            {
                int at = checked((int)exact.Position);
                exact.SetLength(at + p.Length); // before writing: a MemoryStream zeroes what it grows into
                p.WriteTo(exact.GetBuffer().AsMemory(at, p.Length));
                exact.Position = at + p.Length;
            }
            else
            {
                s.Seek(p.Length, SeekOrigin.Current);
            }
        }

        public void Principal(Principal p)
        {
            U8((byte)p.Length);
            s.Write(p.Bytes);
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        private readonly int _total = bytes.Length;
        private ReadOnlySpan<byte> _rest = bytes;

        public readonly bool AtEnd => _rest.IsEmpty;

        public readonly int Remaining => _rest.Length;

        public ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || n > _rest.Length)
            {
                throw new FormatException($"execution checkpoint truncated: {n} bytes wanted, {_rest.Length} left");
            }

            ReadOnlySpan<byte> taken = _rest[..n];
            _rest = _rest[n..];
            return taken;
        }

        public byte U8() => Take(1)[0];

        public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

        public ulong U64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

        // A count whose elements cannot all fit in what is left is malformed: refuse it before allocating for it.
        public uint Count(int minBytesEach)
        {
            uint n = U32();
            if ((ulong)n * (ulong)minBytesEach > (ulong)_rest.Length)
            {
                throw new FormatException($"execution checkpoint truncated: {n} entries cannot fit in {_rest.Length} bytes");
            }

            return n;
        }

        // Where the next blob lies in the whole checkpoint (read past it).
        public Range BlobRange()
        {
            int length = Blob().Length;
            int end = _total - _rest.Length;
            return (end - length)..end;
        }

        public ReadOnlySpan<byte> Blob()
        {
            uint n = U32();
            return n > (uint)_rest.Length
                ? throw new FormatException($"execution checkpoint truncated: {n} bytes wanted, {_rest.Length} left")
                : Take((int)n);
        }

        public string Text()
        {
            try
            {
                return s_strictUtf8.GetString(Blob());
            }
            catch (DecoderFallbackException e)
            {
                throw new FormatException("invalid UTF-8 in the execution checkpoint", e);
            }
        }

        public Principal Principal()
        {
            int n = U8();
            return Protocol.Principals.Principal.TryFromBytes(Take(n), out Principal p)
                ? p
                : throw new FormatException($"invalid principal of {n} bytes in the execution checkpoint");
        }
    }
}
