using System.Text;
using InternetIdentity.CanisterRuntime.Execution;

namespace InternetIdentity.CanisterRuntime;

/// <summary>
/// The canister's state as bytes: heap (non-zero pages), mutable globals, stable memory (non-zero pages), certified
/// data, timer, version, cycles, controllers, status, environment variables, call contexts, callbacks and logs, each in
/// a fixed order, so equal states give equal bytes.
/// </summary>
public sealed partial class WasmCanister
{
    private static readonly byte[] s_magic = "IIWC"u8.ToArray();
    private const byte FormatVersion = 1;

    /// <inheritdoc/>
    public byte[] Snapshot()
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        w.Write(s_magic);
        w.Write(FormatVersion);
        WriteBytes(w, ModuleHash.Span);
        byte[]?[] heap = _instance.CaptureHeap();
        w.Write((ulong)heap.Length);
        w.Write((ulong)heap.Count(p => p is not null));
        for (int p = 0; p < heap.Length; p++)
        {
            if (heap[p] is byte[] page)
            {
                w.Write((ulong)p);
                w.Write(page);
            }
        }

        (int Index, object Value)[] globals = _instance.CaptureGlobals();
        w.Write(globals.Length);
        foreach ((int index, object value) in globals)
        {
            w.Write(index);
            switch (value)
            {
                case int i: w.Write((byte)0); w.Write((long)i); break;
                case long l: w.Write((byte)1); w.Write(l); break;
                case float f: w.Write((byte)2); w.Write((long)BitConverter.SingleToInt32Bits(f)); break;
                case double d: w.Write((byte)3); w.Write(BitConverter.DoubleToInt64Bits(d)); break;
                default: throw new InvalidOperationException("unsupported global value " + value.GetType());
            }
        }

        CanisterState s = _state;
        w.Write(s.Stable.Pages);
        (ulong Index, byte[] Bytes)[] stable = [.. s.Stable.NonZeroPages()];
        w.Write((ulong)stable.Length);
        foreach ((ulong index, byte[] bytes) in stable)
        {
            w.Write(index);
            w.Write(bytes);
        }

        WriteBytes(w, s.CertifiedData);
        w.Write(s.GlobalTimer);
        w.Write(s.Version);
        w.Write((ulong)(s.CyclesBalance >> 64));
        w.Write((ulong)s.CyclesBalance);
        w.Write((byte)s.Status);
        w.Write(s.Controllers.Count);
        foreach (byte[] controller in s.Controllers)
        {
            WriteBytes(w, controller);
        }

        w.Write(s.EnvironmentVariables.Count);
        foreach ((string name, string value) in s.EnvironmentVariables)
        {
            w.Write(name);
            w.Write(value);
        }

        w.Write(s.NextCallContextId);
        w.Write(s.NextCallbackId);
        w.Write(s.CallContexts.Count);
        foreach (CallContextState c in s.CallContexts.Values)
        {
            w.Write(c.Id);
            WriteBytes(w, c.Caller);
            w.Write(c.ExpectsResponse);
            w.Write(c.DeadlineNanos);
            w.Write((ulong)(c.CyclesAvailable >> 64));
            w.Write((ulong)c.CyclesAvailable);
            w.Write(c.Responded);
            w.Write(c.OutstandingCallbacks);
            w.Write(c.Instructions);
        }

        w.Write(s.Callbacks.Count);
        foreach (CallbackState c in s.Callbacks.Values)
        {
            w.Write(c.Id);
            w.Write(c.CallContextId);
            w.Write(c.ReplyFun);
            w.Write(c.ReplyEnv);
            w.Write(c.RejectFun);
            w.Write(c.RejectEnv);
            w.Write(c.CleanupFun.HasValue);
            w.Write(c.CleanupFun ?? 0);
            w.Write(c.CleanupEnv);
        }

        w.Write(s.NextLogIndex);
        w.Write(s.Logs.Count);
        foreach (CanisterLogRecord record in s.Logs)
        {
            w.Write(record.Index);
            w.Write(record.TimestampNanos);
            WriteBytes(w, record.Content.Span);
        }

        w.Flush();
        return stream.ToArray();
    }

    /// <inheritdoc/>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        Changing();
        try
        {
            RestoreUnchecked(snapshot.ToArray());
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or OverflowException or DecoderFallbackException)
        {
            throw new FormatException("not a wasm canister snapshot: " + e.Message, e);
        }
    }

    private void RestoreUnchecked(byte[] snapshot)
    {
        using var r = new BinaryReader(new MemoryStream(snapshot), new UTF8Encoding(false, true));
        if (!r.ReadBytes(4).AsSpan().SequenceEqual(s_magic) || r.ReadByte() != FormatVersion)
        {
            throw new FormatException("not a wasm canister snapshot (magic or version)");
        }

        if (!ReadBytes(r).AsSpan().SequenceEqual(ModuleHash.Span))
        {
            throw new FormatException("the snapshot is of another module (module hash differs)");
        }

        ulong heapPages = r.ReadUInt64();
        var heap = new byte[]?[checked((int)heapPages)];
        for (ulong i = 0, n = r.ReadUInt64(); i < n; i++)
        {
            heap[checked((int)r.ReadUInt64())] = ReadExactly(r, WasmInstance.PageSize);
        }

        var globals = new (int, object)[r.ReadInt32()];
        for (int i = 0; i < globals.Length; i++)
        {
            int index = r.ReadInt32();
            byte kind = r.ReadByte();
            long bits = r.ReadInt64();
            globals[i] = (index, kind switch
            {
                0 => (object)(int)bits,
                1 => bits,
                2 => BitConverter.Int32BitsToSingle((int)bits),
                3 => BitConverter.Int64BitsToDouble(bits),
                _ => throw new FormatException("unknown global kind " + kind),
            });
        }

        var state = new CanisterState();
        ulong stablePages = r.ReadUInt64();
        var stable = new List<(ulong, byte[])>();
        for (ulong i = 0, n = r.ReadUInt64(); i < n; i++)
        {
            stable.Add((r.ReadUInt64(), ReadExactly(r, StableMemory.PageSize)));
        }

        state.Stable.Load(stablePages, stable);
        state.CertifiedData = ReadBytes(r);
        state.GlobalTimer = r.ReadUInt64();
        state.Version = r.ReadUInt64();
        state.CyclesBalance = ((UInt128)r.ReadUInt64() << 64) | r.ReadUInt64();
        state.Status = (CanisterStatus)r.ReadByte();
        state.Controllers = [.. Enumerable.Range(0, r.ReadInt32()).Select(_ => ReadBytes(r))];
        int variables = r.ReadInt32();
        for (int i = 0; i < variables; i++)
        {
            state.EnvironmentVariables[r.ReadString()] = r.ReadString();
        }

        state.NextCallContextId = r.ReadUInt64();
        state.NextCallbackId = r.ReadUInt64();
        int contexts = r.ReadInt32();
        for (int i = 0; i < contexts; i++)
        {
            var context = new CallContextState(r.ReadUInt64(), ReadBytes(r), r.ReadBoolean(), r.ReadUInt64())
            {
                CyclesAvailable = ((UInt128)r.ReadUInt64() << 64) | r.ReadUInt64(),
                Responded = r.ReadBoolean(),
                OutstandingCallbacks = r.ReadInt32(),
                Instructions = r.ReadUInt64(),
            };
            state.CallContexts[context.Id] = context;
        }

        int callbacks = r.ReadInt32();
        for (int i = 0; i < callbacks; i++)
        {
            ulong id = r.ReadUInt64();
            ulong contextId = r.ReadUInt64();
            ulong replyFun = r.ReadUInt64(), replyEnv = r.ReadUInt64(), rejectFun = r.ReadUInt64(), rejectEnv = r.ReadUInt64();
            bool hasCleanup = r.ReadBoolean();
            ulong cleanupFun = r.ReadUInt64(), cleanupEnv = r.ReadUInt64();
            state.Callbacks[id] = new CallbackState(id, contextId, replyFun, replyEnv, rejectFun, rejectEnv, hasCleanup ? cleanupFun : null, cleanupEnv);
        }

        state.NextLogIndex = r.ReadUInt64();
        int logs = r.ReadInt32();
        for (int i = 0; i < logs; i++)
        {
            state.Logs.Add(new CanisterLogRecord(r.ReadUInt64(), r.ReadUInt64(), ReadBytes(r)));
        }

        if (r.BaseStream.Position != snapshot.Length)
        {
            throw new FormatException("trailing bytes after the snapshot");
        }

        var fresh = new WasmInstance(_engine, Module);
        fresh.GrowTo((long)heapPages * WasmInstance.PageSize);
        fresh.RestoreHeap(heap);
        fresh.RestoreGlobals(globals);
        _instance.Dispose();
        _instance = fresh;
        _state = state;
    }

    private static void WriteBytes(BinaryWriter w, ReadOnlySpan<byte> bytes)
    {
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader r) => ReadExactly(r, r.ReadInt32());

    private static byte[] ReadExactly(BinaryReader r, int count)
    {
        byte[] bytes = count >= 0 ? r.ReadBytes(count) : throw new FormatException("negative length");
        return bytes.Length == count ? bytes : throw new EndOfStreamException();
    }
}
