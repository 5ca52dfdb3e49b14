using InternetIdentity.CanisterRuntime;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Execution;

/// <summary>
/// Messages between the subnet's canisters, in the replicated state: the calls hosted canisters make
/// (<see cref="ExecutionResult.Calls"/>) go into one FIFO queue with the responses they get, and the queue is drained
/// at the end of each batch, so every replica delivers the same messages in the same order. Calls reach hosted
/// canisters (<see cref="WasmCanister.ExecuteUpdate"/>), built-in ones (<see cref="ICanister.Update"/>) and the
/// management canister; responses go back through <see cref="WasmCanister.ExecuteResponse"/>. An ingress message whose
/// call context waits on calls is answered when the context closes. Heartbeats and due global timers run each batch.
/// </summary>
public sealed class CanisterMessaging
{
    /// <summary>The most queued messages delivered in one batch (the rest wait for the next batch).</summary>
    public const int MaxDeliveriesPerBatch = 10_000;

    private readonly CanisterTable _table;
    private readonly ManagementCanister _management;
    private readonly Queue<Queued> _queue = new();
    private readonly Dictionary<(Principal Canister, ulong Context), Origin> _origins = [];
    private readonly Dictionary<Protocol.RequestIds.RequestId, IngressMessage> _pendingIngress = [];

    internal CanisterMessaging(CanisterTable table, ManagementCanister management)
    {
        _table = table;
        _management = management;
        Charging = new CyclesCharging(table);
    }

    /// <summary>The opt-in charging of fees to hosted canisters (off by default).</summary>
    internal CyclesCharging Charging { get; }

    /// <summary>The most deliveries per batch here (tests lower it to see a queue carried to the next batch).</summary>
    internal int MaxDeliveries { get; set; } = MaxDeliveriesPerBatch;

    /// <summary>Messages waiting in the queue.</summary>
    public int QueuedCount => _queue.Count;

    /// <summary>Whether an ingress message was executed and waits for its call context to close.</summary>
    public bool IsPending(Protocol.RequestIds.RequestId id) => _pendingIngress.ContainsKey(id);

    /// <summary>Runs an ingress update on a hosted canister; adds its status to <paramref name="answered"/> if it was answered now.</summary>
    internal void RunIngress(IngressMessage m, HostedCanister hosted, ulong timeNanos, List<RequestStatus> answered)
    {
        if ((Charging.ChargeIngress(hosted, m) ?? Charging.Prepay(hosted)) is { } outOfCycles)
        {
            answered.Add(ExecutionState.StatusOf(m, outOfCycles));
            return;
        }

        ExecutionResult result = hosted.Wasm!.ExecuteUpdate(new IncomingCall(m.Sender.ToArray(), m.MethodName, m.Arg, timeNanos));
        Charging.Settle(hosted, result.Instructions);
        _pendingIngress[m.Id] = m;
        Handle(hosted.Id, result, new Origin.Ingress(m), answered);
    }

    /// <summary>Runs heartbeats and due global timers (by canister id), then delivers queued messages.</summary>
    internal void EndBatch(ulong timeNanos, ReadOnlySpan<byte> batchRandomness, int firstIndex, List<RequestStatus> answered)
    {
        foreach (InstalledCanister c in _table.Hosted.ToList())
        {
            if (c.Canister is HostedCanister { Status: CanisterRunStatus.Running, Wasm: { } wasm } hosted)
            {
                // A canister that cannot pay for a heartbeat or timer skips it (a due timer stays due).
                if (wasm.Module.SystemMethods.Contains("canister_heartbeat") && Charging.Prepay(hosted) is null)
                {
                    RunSystemTask(hosted, wasm, SystemTask.Heartbeat, timeNanos, answered);
                }

                if (wasm.GlobalTimer != 0 && wasm.GlobalTimer <= timeNanos && Charging.Prepay(hosted) is null)
                {
                    RunSystemTask(hosted, wasm, SystemTask.GlobalTimer, timeNanos, answered);
                }
            }
        }

        for (int delivered = 0; delivered < MaxDeliveries && _queue.TryDequeue(out Queued? next); delivered++)
        {
            switch (next)
            {
                case Queued.Request q:
                    Deliver(q, timeNanos, ExecutionState.MessageRandomness(batchRandomness, firstIndex + delivered), answered);
                    break;
                case Queued.Response r:
                    Respond(r, timeNanos, answered);
                    break;
            }
        }
    }

    private void RunSystemTask(HostedCanister hosted, WasmCanister wasm, SystemTask task, ulong timeNanos, List<RequestStatus> answered)
    {
        ExecutionResult result = wasm.ExecuteSystemTask(task, timeNanos);
        Charging.Settle(hosted, result.Instructions);
        Handle(hosted.Id, result, null, answered);
    }

    private void Deliver(Queued.Request q, ulong timeNanos, byte[] randomness, List<RequestStatus> answered)
    {
        if (q.Callee == Principal.ManagementCanister)
        {
            CanisterReply reply;
            try
            {
                reply = _management.Execute(q.Caller, timeNanos, q.Method, q.Argument, randomness, fromCanister: true);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                reply = CanisterReply.Reject(RejectCode.CanisterError, $"Management canister failed: {e.Message}", "IC0503");
            }

            _queue.Enqueue(new Queued.Response(q.Caller, q.CallbackId, new CallResponse(reply, q.Cycles)));
            return;
        }

        InstalledCanister? target = _table.Find(q.Callee);
        if (target is null)
        {
            Reject(q, RejectCode.DestinationInvalid, $"Canister {q.Callee} not found", "IC0301");
            return;
        }

        if (target.Canister is HostedCanister hosted)
        {
            if ((ExecutionState.Refused(hosted) ?? Charging.Prepay(hosted)) is CanisterReply.Rejected refused)
            {
                Reject(q, refused.Code, refused.Message, refused.ErrorCode);
                return;
            }

            ExecutionResult result = hosted.Wasm!.ExecuteUpdate(new IncomingCall(q.Caller.ToArray(), q.Method, q.Argument, timeNanos, q.Cycles));
            Charging.Settle(hosted, result.Instructions);
            Handle(hosted.Id, result, new Origin.Canister(q.Caller, q.CallbackId), answered);
            return;
        }

        // A built-in canister answers at once (it makes no calls of its own); cycles sent to it are refunded.
        CanisterReply answer;
        try
        {
            answer = target.Canister.Update(new CallContext(q.Caller.ToArray(), timeNanos, randomness, target.Id.ToArray()), q.Method, q.Argument);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            answer = CanisterReply.Reject(RejectCode.CanisterError, $"Canister {target.Id} trapped: {e.Message}", "IC0503");
        }

        _queue.Enqueue(new Queued.Response(q.Caller, q.CallbackId, new CallResponse(answer, q.Cycles)));
    }

    private void Reject(Queued.Request q, RejectCode code, string message, string? errorCode) =>
        _queue.Enqueue(new Queued.Response(q.Caller, q.CallbackId, new CallResponse(CanisterReply.Reject(code, message, errorCode), q.Cycles)));

    private void Respond(Queued.Response r, ulong timeNanos, List<RequestStatus> answered)
    {
        // A canister deleted, emptied or reinstalled since it made the call has no callback left to run.
        if (_table.Find(r.To)?.Canister is not HostedCanister { Wasm: { } wasm } hosted)
        {
            return;
        }

        ExecutionResult result;
        try
        {
            result = wasm.ExecuteResponse(r.CallbackId, r.Answer, timeNanos);
        }
        catch (ArgumentException)
        {
            return;
        }

        Charging.ChargeCallback(hosted, result.Instructions);
        Handle(hosted.Id, result, null, answered);
    }

    // Queues the calls an execution made and routes its response, if its call context got one, to whoever called.
    private void Handle(Principal canister, ExecutionResult result, Origin? origin, List<RequestStatus> answered)
    {
        foreach (OutgoingCall call in result.Calls)
        {
            _queue.Enqueue(new Queued.Request(canister, call.CallbackId, Principal.FromBytes(call.Callee.Span), call.Method, call.Argument.ToArray(), call.Cycles));
        }

        (Principal, ulong) key = (canister, result.CallContextId);
        if (origin is null && !_origins.TryGetValue(key, out origin))
        {
            return; // a system task's context: nobody waits for it
        }

        if (result.Response is not { } response)
        {
            _origins[key] = origin;
            return;
        }

        _origins.Remove(key);
        switch (origin)
        {
            case Origin.Ingress i:
                _pendingIngress.Remove(i.Message.Id);
                answered.Add(ExecutionState.StatusOf(i.Message, response));
                break;
            case Origin.Canister c:
                _queue.Enqueue(new Queued.Response(c.Caller, c.CallbackId, new CallResponse(response, result.RefundedCycles)));
                break;
        }
    }

    /// <summary>The queue and the call contexts waiting on it, as bytes (for checkpoints); equal states give equal bytes.</summary>
    public byte[] Snapshot()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(_queue.Count);
            foreach (Queued q in _queue)
            {
                switch (q)
                {
                    case Queued.Request r:
                        w.Write((byte)0);
                        WritePrincipal(w, r.Caller);
                        w.Write(r.CallbackId);
                        WritePrincipal(w, r.Callee);
                        w.Write(r.Method);
                        WriteBytes(w, r.Argument);
                        WriteCycles(w, r.Cycles);
                        break;
                    case Queued.Response r:
                        w.Write((byte)1);
                        WritePrincipal(w, r.To);
                        w.Write(r.CallbackId);
                        WriteReply(w, r.Answer.Reply);
                        WriteCycles(w, r.Answer.RefundedCycles);
                        break;
                }
            }

            var origins = _origins.OrderBy(o => o.Key.Canister).ThenBy(o => o.Key.Context).ToList();
            w.Write(origins.Count);
            foreach (((Principal canister, ulong context), Origin origin) in origins)
            {
                WritePrincipal(w, canister);
                w.Write(context);
                switch (origin)
                {
                    case Origin.Ingress i:
                        w.Write((byte)0);
                        w.Write(i.Message.Id.Bytes);
                        WritePrincipal(w, i.Message.Sender);
                        WritePrincipal(w, i.Message.CanisterId);
                        w.Write(i.Message.MethodName);
                        WriteBytes(w, i.Message.Arg);
                        w.Write(i.Message.ExpiryNanos);
                        break;
                    case Origin.Canister c:
                        w.Write((byte)1);
                        WritePrincipal(w, c.Caller);
                        w.Write(c.CallbackId);
                        break;
                }
            }
        }

        return stream.ToArray();
    }

    /// <summary>Replaces the queue and the waiting call contexts with a snapshot's.</summary>
    /// <exception cref="FormatException">the bytes are not such a snapshot.</exception>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        var queue = new List<Queued>();
        var origins = new Dictionary<(Principal, ulong), Origin>();
        try
        {
            using var r = new BinaryReader(new MemoryStream(snapshot.ToArray()), System.Text.Encoding.UTF8);
            int count = Count(r);
            for (int i = 0; i < count; i++)
            {
                queue.Add(r.ReadByte() switch
                {
                    0 => new Queued.Request(ReadPrincipal(r), r.ReadUInt64(), ReadPrincipal(r), r.ReadString(), ReadBytes(r), ReadCycles(r)),
                    1 => new Queued.Response(ReadPrincipal(r), r.ReadUInt64(), new CallResponse(ReadReply(r), ReadCycles(r))),
                    byte b => throw new FormatException($"bad queued message kind {b}"),
                });
            }

            count = Count(r);
            for (int i = 0; i < count; i++)
            {
                (Principal, ulong) key = (ReadPrincipal(r), r.ReadUInt64());
                Origin origin = r.ReadByte() switch
                {
                    0 => new Origin.Ingress(new IngressMessage(new Protocol.RequestIds.RequestId(r.ReadBytes(32)), ReadPrincipal(r), ReadPrincipal(r),
                        r.ReadString(), ReadBytes(r), r.ReadUInt64())),
                    1 => new Origin.Canister(ReadPrincipal(r), r.ReadUInt64()),
                    byte b => throw new FormatException($"bad call origin kind {b}"),
                };
                if (!origins.TryAdd(key, origin))
                {
                    throw new FormatException($"call context {key.Item2} of canister {key.Item1} appears twice");
                }
            }

            if (r.BaseStream.Position != r.BaseStream.Length)
            {
                throw new FormatException("bytes after the end of the canister messages");
            }
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or System.Text.DecoderFallbackException)
        {
            throw new FormatException("malformed canister messages: " + e.Message, e);
        }

        _queue.Clear();
        queue.ForEach(_queue.Enqueue);
        _origins.Clear();
        _pendingIngress.Clear();
        foreach (KeyValuePair<(Principal, ulong), Origin> o in origins)
        {
            _origins.Add(o.Key, o.Value);
            if (o.Value is Origin.Ingress i)
            {
                _pendingIngress[i.Message.Id] = i.Message;
            }
        }
    }

    private static void WritePrincipal(BinaryWriter w, Principal p)
    {
        w.Write((byte)p.Length);
        w.Write(p.Bytes);
    }

    private static Principal ReadPrincipal(BinaryReader r)
    {
        int n = r.ReadByte();
        return Principal.TryFromBytes(r.ReadBytes(n), out Principal p) ? p : throw new FormatException("bad principal in the canister messages");
    }

    private static void WriteBytes(BinaryWriter w, byte[] b)
    {
        w.Write(b.Length);
        w.Write(b);
    }

    private static byte[] ReadBytes(BinaryReader r)
    {
        int n = Count(r);
        return r.ReadBytes(n);
    }

    private static int Count(BinaryReader r)
    {
        int n = r.ReadInt32();
        return n < 0 || n > r.BaseStream.Length - r.BaseStream.Position ? throw new FormatException($"bad count {n} in the canister messages") : n;
    }

    private static void WriteCycles(BinaryWriter w, UInt128 c)
    {
        w.Write((ulong)(c >> 64));
        w.Write((ulong)c);
    }

    private static UInt128 ReadCycles(BinaryReader r)
    {
        ulong high = r.ReadUInt64();
        return new UInt128(high, r.ReadUInt64());
    }

    private static void WriteReply(BinaryWriter w, CanisterReply reply)
    {
        switch (reply)
        {
            case CanisterReply.Replied ok:
                w.Write((byte)0);
                WriteBytes(w, ok.Candid.ToArray());
                break;
            case CanisterReply.Rejected no:
                w.Write((byte)1);
                w.Write((int)no.Code);
                w.Write(no.Message);
                w.Write(no.ErrorCode ?? "");
                break;
        }
    }

    private static CanisterReply ReadReply(BinaryReader r) => r.ReadByte() switch
    {
        0 => CanisterReply.Reply(ReadBytes(r)),
        1 => ReadReject(r),
        byte b => throw new FormatException($"bad reply kind {b}"),
    };

    private static CanisterReply ReadReject(BinaryReader r)
    {
        int code = r.ReadInt32();
        if (code is < 1 or > 6)
        {
            throw new FormatException($"reject code {code} is not one of the IC's (1..6)");
        }

        string message = r.ReadString();
        string error = r.ReadString();
        return CanisterReply.Reject((RejectCode)code, message, error.Length == 0 ? null : error);
    }

    private abstract record Origin
    {
        public sealed record Ingress(IngressMessage Message) : Origin;

        public sealed record Canister(Principal Caller, ulong CallbackId) : Origin;
    }

    private abstract record Queued
    {
        public sealed record Request(Principal Caller, ulong CallbackId, Principal Callee, string Method, byte[] Argument, UInt128 Cycles) : Queued;

        public sealed record Response(Principal To, ulong CallbackId, CallResponse Answer) : Queued;
    }
}
