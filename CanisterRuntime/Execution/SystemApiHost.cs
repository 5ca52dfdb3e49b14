using System.Buffers.Binary;
using System.Text;
using InternetIdentity.CanisterRuntime.SystemApi;
using InternetIdentity.Protocol.Canister;
using Wasmtime;

namespace InternetIdentity.CanisterRuntime.Execution;

/// <summary>
/// The <c>ic0</c> functions as Wasmtime host functions. Each checks that the running kind of execution may call it
/// (else it traps with the IC's contract-violation text), charges instructions, and acts on the running
/// <see cref="MessageExecution"/> (the store's data).
/// </summary>
internal static partial class SystemApiHost
{
    /// <summary>Instructions charged for any System API call (a stand-in for the IC's fixed overhead).</summary>
    private const ulong CallCost = 100;

    private delegate void Handler(MessageExecution e, Caller caller, ReadOnlySpan<ValueBox> args, Span<ValueBox> results);

    public static Linker CreateLinker(Engine engine, bool memory64)
    {
        var linker = new Linker(engine);
        foreach (SystemApiFunction function in SystemApiCatalog.Available(memory64))
        {
            Wasmtime.Function.UntypedCallbackDelegate callback = Wrap(function, HandlerFor(function.Name));
            var signature = function.Signature(memory64);
            linker.DefineFunction(SystemApiCatalog.ModuleName, function.Name, callback,
                [.. signature.Parameters.Select(Kind)], [.. signature.Results.Select(Kind)]);
        }

        return linker;
    }

    private static ValueKind Kind(Wasm.WasmValueType type) => type == Wasm.WasmValueType.I32 ? ValueKind.Int32 : ValueKind.Int64;

    private static Wasmtime.Function.UntypedCallbackDelegate Wrap(SystemApiFunction function, Handler handler) =>
        (Caller caller, ReadOnlySpan<ValueBox> args, Span<ValueBox> results) =>
        {
            var e = (MessageExecution)caller.GetData()!;
            if ((function.Allowed & e.Type) == 0)
            {
                Trap(e, ExecutionError.WrongMode(function.Name, ApiTypeNames.Name(e.Type)));
            }

            Charge(e, caller, CallCost);
            handler(e, caller, args, results);
        };

    internal static void Trap(MessageExecution e, ExecutionError error)
    {
        e.Error ??= error;
        throw new CanisterTrapException(error);
    }

    private static void Charge(MessageExecution e, Caller caller, ulong instructions)
    {
        ulong fuel = caller.Fuel;
        if (fuel < instructions)
        {
            caller.Fuel = 0;
            Trap(e, ExecutionError.InstructionLimitExceeded(e.InstructionLimit));
        }

        caller.Fuel = fuel - instructions;
    }

    private static ulong Ptr(MessageExecution e, ValueBox v) => e.Memory64 ? (ulong)v.AsInt64() : (uint)v.AsInt32();

    private static ValueBox Size(MessageExecution e, long value) => e.Memory64 ? (ValueBox)value : (ValueBox)(int)value;

    private static ulong U64(ValueBox v) => (ulong)v.AsInt64();

    private static Span<byte> Heap(MessageExecution e, ulong address, ulong size)
    {
        if (size == 0)
        {
            return [];
        }

        long length = e.Memory?.GetLength() ?? 0;
        if (size > (ulong)length || address > (ulong)length - size || size > int.MaxValue)
        {
            Trap(e, ExecutionError.Trapped("heap out of bounds"));
        }

        return e.Memory!.GetSpan((long)address, (int)size);
    }

    private static byte[] ReadHeap(MessageExecution e, Caller caller, ValueBox src, ValueBox size)
    {
        ulong n = Ptr(e, size);
        Charge(e, caller, n);
        return Heap(e, Ptr(e, src), n).ToArray();
    }

    // The *_copy idiom: copy data[offset..offset+size] to memory[dst..dst+size].
    private static void CopyOut(MessageExecution e, Caller caller, string function, ReadOnlySpan<byte> data, ReadOnlySpan<ValueBox> args)
    {
        ulong dst = Ptr(e, args[0]);
        ulong offset = Ptr(e, args[1]);
        ulong size = Ptr(e, args[2]);
        if (size > (ulong)data.Length || offset > (ulong)data.Length - size)
        {
            Trap(e, ExecutionError.ContractViolation($"ic0.{function}: src={offset} + length={size} exceeds the slice size={data.Length}"));
        }

        Charge(e, caller, size);
        data.Slice((int)offset, (int)size).CopyTo(Heap(e, dst, size));
    }

    private static void Write128(MessageExecution e, ValueBox dst, UInt128 value)
    {
        Span<byte> target = Heap(e, Ptr(e, dst), 16);
        BinaryPrimitives.WriteUInt64LittleEndian(target, (ulong)value);
        BinaryPrimitives.WriteUInt64LittleEndian(target[8..], (ulong)(value >> 64));
    }

    private static UInt128 Amount(ValueBox high, ValueBox low) => ((UInt128)U64(high) << 64) | U64(low);

    private static byte[] ArgumentOf(MessageExecution e) => e.Argument ?? [];

    private static void EnsureResponsePossible(MessageExecution e, string function)
    {
        if (!e.CanRespond)
        {
            Trap(e, ExecutionError.ContractViolation($"ic0.{function}: the call is already replied"));
        }
    }

    private static CallUnderConstruction PendingCall(MessageExecution e, string function) =>
        e.PendingCall ?? throw Fail(e, ExecutionError.ContractViolation($"ic0.{function} called when no call is under construction."));

    private static CanisterTrapException Fail(MessageExecution e, ExecutionError error)
    {
        e.Error ??= error;
        return new CanisterTrapException(error);
    }

    private static Handler HandlerFor(string name) => name switch
    {
        "msg_arg_data_size" => (e, c, a, r) => r[0] = Size(e, ArgumentOf(e).Length),
        "msg_arg_data_copy" => (e, c, a, r) => CopyOut(e, c, name, ArgumentOf(e), a),
        "msg_caller_size" => (e, c, a, r) => r[0] = Size(e, e.Caller.Length),
        "msg_caller_copy" => (e, c, a, r) => CopyOut(e, c, name, e.Caller, a),
        "msg_caller_info_data_size" or "msg_caller_info_signer_size" => (e, c, a, r) => r[0] = Size(e, 0),
        "msg_caller_info_data_copy" or "msg_caller_info_signer_copy" => (e, c, a, r) => CopyOut(e, c, name, [], a),
        "msg_reject_code" => (e, c, a, r) => r[0] = e.RejectCode,
        "msg_reject_msg_size" => (e, c, a, r) => r[0] = Size(e, Encoding.UTF8.GetByteCount(e.RejectMessage ?? "")),
        "msg_reject_msg_copy" => (e, c, a, r) => CopyOut(e, c, name, Encoding.UTF8.GetBytes(e.RejectMessage ?? ""), a),
        "msg_deadline" => (e, c, a, r) => r[0] = (long)(e.CallContext?.DeadlineNanos ?? 0),
        "msg_reply_data_append" => MsgReplyDataAppend,
        "msg_reply" => (e, c, a, r) =>
        {
            EnsureResponsePossible(e, name);
            e.Response = CanisterReply.Reply(e.ReplyBuffer.ToArray());
            e.CanRespond = false;
        },
        "msg_reject" => (e, c, a, r) =>
        {
            EnsureResponsePossible(e, name);
            byte[] message = ReadHeap(e, c, a[0], a[1]);
            // The IC files an explicit reject under IC0406 (CanisterRejectedMessage), with the canister's text as is.
            e.Response = CanisterReply.Reject(RejectCode.CanisterReject, Encoding.UTF8.GetString(message), "IC0406");
            e.CanRespond = false;
        },
        "msg_cycles_available128" => (e, c, a, r) => Write128(e, a[0], e.CallContext?.CyclesAvailable ?? 0),
        "msg_cycles_available" => (e, c, a, r) => r[0] = (long)(ulong)UInt128.Min(e.CallContext?.CyclesAvailable ?? 0, ulong.MaxValue),
        "msg_cycles_refunded128" => (e, c, a, r) => Write128(e, a[0], e.Refunded),
        "msg_cycles_refunded" => (e, c, a, r) => r[0] = (long)(ulong)UInt128.Min(e.Refunded, ulong.MaxValue),
        "msg_cycles_accept128" => (e, c, a, r) => Write128(e, a[2], AcceptCycles(e, Amount(a[0], a[1]))),
        "msg_cycles_accept" => (e, c, a, r) => r[0] = (long)(ulong)AcceptCycles(e, U64(a[0])),
        "cycles_burn128" => (e, c, a, r) =>
        {
            UInt128 burnt = UInt128.Min(Amount(a[0], a[1]), e.State.CyclesBalance);
            e.State.CyclesBalance -= burnt;
            Write128(e, a[2], burnt);
        },
        "canister_self_size" => (e, c, a, r) => r[0] = Size(e, e.Environment.CanisterId.Length),
        "canister_self_copy" => (e, c, a, r) => CopyOut(e, c, name, e.Environment.CanisterId.Span, a),
        "canister_cycle_balance128" or "canister_liquid_cycle_balance128" => (e, c, a, r) => Write128(e, a[0], e.State.CyclesBalance),
        "canister_cycle_balance" => (e, c, a, r) => r[0] = (long)(ulong)UInt128.Min(e.State.CyclesBalance, ulong.MaxValue),
        "canister_status" => (e, c, a, r) => r[0] = (int)e.State.Status,
        "canister_version" => (e, c, a, r) => r[0] = (long)e.State.Version,
        "subnet_self_size" => (e, c, a, r) => r[0] = Size(e, e.Environment.SubnetId.Length),
        "subnet_self_copy" => (e, c, a, r) => CopyOut(e, c, name, e.Environment.SubnetId.Span, a),
        "msg_method_name_size" => (e, c, a, r) => r[0] = Size(e, Encoding.UTF8.GetByteCount(e.MethodName ?? "")),
        "msg_method_name_copy" => (e, c, a, r) => CopyOut(e, c, name, Encoding.UTF8.GetBytes(e.MethodName ?? ""), a),
        "accept_message" => (e, c, a, r) =>
        {
            if (e.Accepted)
            {
                Trap(e, ExecutionError.ContractViolation("ic0.accept_message: the function was already called."));
            }

            e.Accepted = true;
        },
        "call_new" => CallNew,
        "call_on_cleanup" => (e, c, a, r) =>
        {
            CallUnderConstruction call = PendingCall(e, name);
            if (call.CleanupFun is not null)
            {
                Trap(e, ExecutionError.ContractViolation("ic0.call_on_cleanup: cleanup closure already set."));
            }

            call.CleanupFun = Ptr(e, a[0]);
            call.CleanupEnv = Ptr(e, a[1]);
        },
        "call_data_append" => (e, c, a, r) => PendingCall(e, name).Argument.AddRange(ReadHeap(e, c, a[0], a[1])),
        "call_with_best_effort_response" => (e, c, a, r) =>
        {
            CallUnderConstruction call = PendingCall(e, name);
            if (call.TimeoutSeconds is not null)
            {
                Trap(e, ExecutionError.ContractViolation("ic0.call_with_best_effort_response: timeout already set."));
            }

            call.TimeoutSeconds = Math.Clamp((uint)a[0].AsInt32(), 1u, 300u);
        },
        "call_cycles_add128" => (e, c, a, r) => AddCycles(e, name, Amount(a[0], a[1])),
        "call_cycles_add" => (e, c, a, r) => AddCycles(e, name, U64(a[0])),
        "call_perform" => (e, c, a, r) =>
        {
            CallUnderConstruction call = PendingCall(e, name);
            e.PendingCall = null;
            e.PerformedCalls.Add((call, e.State.NextCallbackId++));
            r[0] = 0;
        },
        "stable64_size" => (e, c, a, r) => r[0] = (long)e.State.Stable.Pages,
        "stable64_grow" => (e, c, a, r) => r[0] = (long)e.State.Stable.Grow(U64(a[0]), e.Limits.StableMemoryBytes),
        "stable64_write" => (e, c, a, r) => StableWrite(e, c, U64(a[0]), U64(a[1]), U64(a[2])),
        "stable64_read" => (e, c, a, r) => StableRead(e, c, U64(a[0]), U64(a[1]), U64(a[2])),
        "stable_size" => (e, c, a, r) => r[0] = (int)Stable32Pages(e),
        "stable_grow" => (e, c, a, r) =>
        {
            ulong pages = Stable32Pages(e);
            uint grow = (uint)a[0].AsInt32();
            r[0] = pages + grow > 65536 ? -1 : (int)e.State.Stable.Grow(grow, e.Limits.StableMemoryBytes);
        },
        "stable_write" => (e, c, a, r) =>
        {
            Stable32Pages(e);
            StableWrite(e, c, (uint)a[0].AsInt32(), (uint)a[1].AsInt32(), (uint)a[2].AsInt32());
        },
        "stable_read" => (e, c, a, r) =>
        {
            Stable32Pages(e);
            StableRead(e, c, (uint)a[0].AsInt32(), (uint)a[1].AsInt32(), (uint)a[2].AsInt32());
        },
        "root_key_size" => (e, c, a, r) => r[0] = Size(e, e.Environment.RootKey.Length),
        "root_key_copy" => (e, c, a, r) => CopyOut(e, c, name, e.Environment.RootKey.Span, a),
        "certified_data_set" => (e, c, a, r) =>
        {
            ulong size = Ptr(e, a[1]);
            if (size > CanisterContract.MaxCertifiedDataLength)
            {
                Trap(e, ExecutionError.ContractViolation(
                    $"ic0_certified_data_set failed because the passed data must be no larger than {CanisterContract.MaxCertifiedDataLength} bytes. Found {size} bytes."));
            }

            e.State.CertifiedData = ReadHeap(e, c, a[0], a[1]);
        },
        "data_certificate_present" => (e, c, a, r) => r[0] = e.Certificate is null ? 0 : 1,
        "data_certificate_size" => (e, c, a, r) => r[0] = Size(e, Certificate(e, name).Length),
        "data_certificate_copy" => (e, c, a, r) => CopyOut(e, c, name, Certificate(e, name), a),
        "time" => (e, c, a, r) => r[0] = (long)e.TimeNanos,
        "global_timer_set" => (e, c, a, r) =>
        {
            ulong old = e.State.GlobalTimer;
            e.State.GlobalTimer = U64(a[0]);
            r[0] = (long)old;
        },
        "performance_counter" => (e, c, a, r) =>
        {
            ulong current = e.InstructionLimit - c.Fuel;
            r[0] = a[0].AsInt32() switch
            {
                0 => (long)current,
                1 => (long)(e.InstructionsBeforeThisExecution + current),
                int other => throw Fail(e, ExecutionError.ContractViolation($"ic0.performance_counter: unknown counter type {other}")),
            };
        },
        "is_controller" => (e, c, a, r) =>
        {
            byte[] principal = ReadHeap(e, c, a[0], a[1]);
            if (principal.Length > 29)
            {
                Trap(e, ExecutionError.ContractViolation($"ic0.is_controller: the principal is invalid: {principal.Length} bytes is longer than 29"));
            }

            r[0] = e.State.Controllers.Any(p => p.AsSpan().SequenceEqual(principal)) ? 1 : 0;
        },
        "in_replicated_execution" => (e, c, a, r) => r[0] = e.Replicated ? 1 : 0,
        "cost_call" => (e, c, a, r) => Write128(e, a[2], CyclesCosts.Call(U64(a[0]), U64(a[1]))),
        "cost_create_canister" => (e, c, a, r) => Write128(e, a[0], CyclesCosts.CreateCanister),
        "cost_http_request" => (e, c, a, r) => Write128(e, a[2], CyclesCosts.HttpRequest(U64(a[0]), U64(a[1]))),
        "cost_sign_with_ecdsa" => (e, c, a, r) => r[0] = ThresholdCost(e, c, a, CyclesCosts.SignWithEcdsa, 0),
        "cost_sign_with_schnorr" => (e, c, a, r) => r[0] = ThresholdCost(e, c, a, CyclesCosts.SignWithSchnorr, 1),
        "cost_vetkd_derive_key" => (e, c, a, r) => r[0] = ThresholdCost(e, c, a, CyclesCosts.VetKdDeriveKey, 0),
        "env_var_count" => (e, c, a, r) => r[0] = Size(e, e.State.EnvironmentVariables.Count),
        "env_var_name_size" => (e, c, a, r) => r[0] = Size(e, Encoding.UTF8.GetByteCount(EnvName(e, Ptr(e, a[0])))),
        "env_var_name_copy" => (e, c, a, r) => CopyOut(e, c, name, Encoding.UTF8.GetBytes(EnvName(e, Ptr(e, a[0]))), a[1..]),
        "env_var_name_exists" => (e, c, a, r) =>
            r[0] = e.State.EnvironmentVariables.ContainsKey(Encoding.UTF8.GetString(ReadHeap(e, c, a[0], a[1]))) ? 1 : 0,
        "env_var_value_size" => (e, c, a, r) => r[0] = Size(e, Encoding.UTF8.GetByteCount(EnvValue(e, c, a[0], a[1]))),
        "env_var_value_copy" => (e, c, a, r) => CopyOut(e, c, name, Encoding.UTF8.GetBytes(EnvValue(e, c, a[0], a[1])), a[2..]),
        "debug_print" => (e, c, a, r) => e.State.AppendLog(e.TimeNanos, ReadHeap(e, c, a[0], a[1]), e.Limits.LogBytes),
        "trap" => (e, c, a, r) =>
        {
            byte[] message = ReadHeap(e, c, a[0], a[1]);
            Trap(e, ExecutionError.CalledTrap(Encoding.UTF8.GetString(message)));
        },
        _ => throw new InvalidOperationException("no host implementation for ic0." + name),
    };

    private static void MsgReplyDataAppend(MessageExecution e, Caller caller, ReadOnlySpan<ValueBox> a, Span<ValueBox> r)
    {
        EnsureResponsePossible(e, "msg_reply_data_append");
        byte[] data = ReadHeap(e, caller, a[0], a[1]);
        if (e.ReplyBuffer.Count + data.Length > e.Limits.MaxReplyBytes)
        {
            Trap(e, ExecutionError.ContractViolation(
                $"ic0.msg_reply_data_append: application payload size ({e.ReplyBuffer.Count + data.Length}) cannot be larger than {e.Limits.MaxReplyBytes}."));
        }

        e.ReplyBuffer.AddRange(data);
    }

    private static void CallNew(MessageExecution e, Caller caller, ReadOnlySpan<ValueBox> a, Span<ValueBox> r)
    {
        byte[] callee = ReadHeap(e, caller, a[0], a[1]);
        byte[] method = ReadHeap(e, caller, a[2], a[3]);
        if (callee.Length > 29)
        {
            Trap(e, ExecutionError.ContractViolation($"ic0.call_new: the callee principal is invalid: {callee.Length} bytes is longer than 29"));
        }

        if (e.PendingCall is { } abandoned)
        {
            // A call assembled but never performed is discarded; its cycles go back to the balance.
            e.State.CyclesBalance += abandoned.Cycles;
        }

        e.PendingCall = new CallUnderConstruction
        {
            Callee = callee,
            Method = Encoding.UTF8.GetString(method),
            ReplyFun = Ptr(e, a[4]),
            ReplyEnv = Ptr(e, a[5]),
            RejectFun = Ptr(e, a[6]),
            RejectEnv = Ptr(e, a[7]),
        };
    }

    private static UInt128 AcceptCycles(MessageExecution e, UInt128 max)
    {
        CallContextState? context = e.CallContext;
        if (context is null)
        {
            return 0;
        }

        UInt128 accepted = UInt128.Min(max, context.CyclesAvailable);
        context.CyclesAvailable -= accepted;
        e.State.CyclesBalance += accepted;
        return accepted;
    }

    private static void AddCycles(MessageExecution e, string function, UInt128 amount)
    {
        CallUnderConstruction call = PendingCall(e, function);
        if (amount > e.State.CyclesBalance)
        {
            Trap(e, ExecutionError.ContractViolation(
                $"ic0.{function}: Canister {Protocol.Principals.Principal.FromBytes(e.Environment.CanisterId.Span)} is out of cycles: please top up the canister with at least {amount - e.State.CyclesBalance} additional cycles"));
        }

        e.State.CyclesBalance -= amount;
        call.Cycles += amount;
    }

    private static ulong Stable32Pages(MessageExecution e)
    {
        ulong pages = e.State.Stable.Pages;
        if (pages > 65536)
        {
            Trap(e, ExecutionError.ContractViolation("32 bit stable memory api cannot be used when stable memory exceeds 4 GiB"));
        }

        return pages;
    }

    private static void StableWrite(MessageExecution e, Caller caller, ulong offset, ulong src, ulong size)
    {
        if (!e.State.Stable.InBounds(offset, size))
        {
            Trap(e, ExecutionError.Trapped("stable memory out of bounds"));
        }

        Charge(e, caller, size);
        e.State.Stable.Write(offset, Heap(e, src, size));
    }

    private static void StableRead(MessageExecution e, Caller caller, ulong dst, ulong offset, ulong size)
    {
        if (!e.State.Stable.InBounds(offset, size))
        {
            Trap(e, ExecutionError.Trapped("stable memory out of bounds"));
        }

        Charge(e, caller, size);
        e.State.Stable.Read(offset, Heap(e, dst, size));
    }

    private static byte[] Certificate(MessageExecution e, string function) =>
        e.Certificate ?? throw Fail(e, ExecutionError.ContractViolation($"ic0.{function}: no certificate is available in this execution"));

    private static int ThresholdCost(MessageExecution e, Caller caller, ReadOnlySpan<ValueBox> a, Func<string, int, UInt128?> cost, int maxCurve)
    {
        string keyName = Encoding.UTF8.GetString(ReadHeap(e, caller, a[0], a[1]));
        int curve = a[2].AsInt32();
        if (curve < 0 || curve > maxCurve)
        {
            return 1;
        }

        UInt128? amount = cost(keyName, curve);
        if (amount is null)
        {
            return 2;
        }

        Write128(e, a[3], amount.Value);
        return 0;
    }

    private static string EnvName(MessageExecution e, ulong index)
    {
        if (index >= (ulong)e.State.EnvironmentVariables.Count)
        {
            Trap(e, ExecutionError.ContractViolation(
                $"Environment variable index {index} is out of bounds. The number of environment variables is {e.State.EnvironmentVariables.Count}."));
        }

        return e.State.EnvironmentVariables.Keys.ElementAt((int)index);
    }

    private static string EnvValue(MessageExecution e, Caller caller, ValueBox src, ValueBox size)
    {
        string name = Encoding.UTF8.GetString(ReadHeap(e, caller, src, size));
        return e.State.EnvironmentVariables.TryGetValue(name, out string? value)
            ? value
            : throw Fail(e, ExecutionError.ContractViolation($"Environment variable {name} not found."));
    }
}
