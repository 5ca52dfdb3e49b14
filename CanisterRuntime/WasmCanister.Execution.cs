using System.Text;
using InternetIdentity.CanisterRuntime.Execution;
using InternetIdentity.CanisterRuntime.SystemApi;
using InternetIdentity.Protocol.Canister;
using Wasmtime;

namespace InternetIdentity.CanisterRuntime;

/// <summary>Running entry points, rollback images, and closing call contexts.</summary>
public sealed partial class WasmCanister
{
    private MessageExecution NewExecution(ApiType type, ulong timeNanos, ulong instructionLimit, CallContextState? context = null,
        byte[]? argument = null, int rejectCode = 0, string? rejectMessage = null, UInt128 refunded = default) =>
        new()
        {
            Type = type,
            State = _state,
            Environment = _environment,
            Limits = Limits,
            TimeNanos = timeNanos,
            InstructionLimit = instructionLimit,
            Caller = context?.Caller ?? [],
            Argument = argument,
            CallContext = context,
            RejectCode = rejectCode,
            RejectMessage = rejectMessage,
            Refunded = refunded,
            CanRespond = context is { ExpectsResponse: true, Responded: false } && type != ApiType.Cleanup,
            InstructionsBeforeThisExecution = context?.Instructions ?? 0,
        };

    // Runs an exported function; returns the instructions used. Errors land in e.Error.
    private ulong Run(MessageExecution e, string export) =>
        Invoke(e, _instance.Instance.GetFunction(export), []);

    // Runs a callback closure: the table's function at `fun`, called with `env`.
    private ulong RunClosure(MessageExecution e, ulong fun, ulong env)
    {
        Function? function = _instance.TableFunction(fun);
        if (function is null)
        {
            e.Error = new ExecutionError("IC0502", $"Canister requested to invoke a non-existent Wasm function {fun} from table 0", "");
            return 0;
        }

        return Invoke(e, function, [Module.Info.IsMemory64 ? (ValueBox)(long)env : (ValueBox)(int)env]);
    }

    private ulong Invoke(MessageExecution e, Function? function, ValueBox[] arguments)
    {
        if (function is null)
        {
            e.Error = new ExecutionError("IC0536", "Canister has no method to run for this message", "");
            return 0;
        }

        e.Memory = _instance.Memory;
        e.Memory64 = Module.Info.IsMemory64;
        Store store = _instance.Store;
        store.SetData(e);
        store.Fuel = e.InstructionLimit;
        try
        {
            function.Invoke(arguments);
        }
        catch (CanisterTrapException trap)
        {
            e.Error ??= trap.Error;
        }
        catch (TrapException trap)
        {
            e.Error ??= TrapError(trap, e);
        }
        catch (WasmtimeException failure)
        {
            e.Error ??= failure.InnerException is CanisterTrapException inner ? inner.Error : ExecutionError.Trapped(failure.Message.Split('\n')[0]);
        }
        finally
        {
            store.SetData(null);
        }

        ulong used = e.InstructionLimit - Math.Min(store.Fuel, e.InstructionLimit);
        if (e.CallContext is not null)
        {
            e.CallContext.Instructions += used;
        }

        return used;
    }

    private static ExecutionError TrapError(TrapException trap, MessageExecution e)
    {
        if (trap.InnerException is CanisterTrapException inner)
        {
            return inner.Error;
        }

        return trap.Type switch
        {
            TrapCode.OutOfFuel => ExecutionError.InstructionLimitExceeded(e.InstructionLimit),
            TrapCode.Unreachable => ExecutionError.Trapped("unreachable"),
            TrapCode.MemoryOutOfBounds => ExecutionError.Trapped("heap out of bounds"),
            TrapCode.IntegerDivisionByZero => ExecutionError.Trapped("integer division by 0"),
            TrapCode.IntegerOverflow => ExecutionError.Trapped("integer overflow"),
            TrapCode.BadConversionToInteger => ExecutionError.Trapped("invalid conversion to integer"),
            TrapCode.StackOverflow => ExecutionError.Trapped("stack overflow"),
            TrapCode.TableOutOfBounds => ExecutionError.Trapped("table out of bounds"),
            TrapCode.IndirectCallToNull => ExecutionError.Trapped("indirect call to null"),
            TrapCode.BadSignature => ExecutionError.Trapped("indirect call signature mismatch"),
            TrapCode.HeapMisaligned => ExecutionError.Trapped("heap misaligned"),
            _ => ExecutionError.Trapped(trap.Message.Split('\n')[0]),
        };
    }

    // Registers the calls made, records the response, closes the context when nothing is left outstanding.
    private ExecutionResult Commit(MessageExecution e, CallContextState context, ulong used)
    {
        var calls = new List<OutgoingCall>();
        foreach ((CallUnderConstruction call, ulong callbackId) in e.PerformedCalls)
        {
            _state.Callbacks[callbackId] = new CallbackState(callbackId, context.Id, call.ReplyFun, call.ReplyEnv, call.RejectFun, call.RejectEnv, call.CleanupFun, call.CleanupEnv);
            context.OutstandingCallbacks++;
            calls.Add(new OutgoingCall(callbackId, context.Id, call.Callee, call.Method, call.Argument.ToArray(), call.Cycles, call.TimeoutSeconds));
        }

        if (e.PendingCall is { } abandoned)
        {
            _state.CyclesBalance += abandoned.Cycles;
        }

        _state.Version++;
        CanisterReply? response = e.Response;
        if (response is null && context is { ExpectsResponse: true, Responded: false, OutstandingCallbacks: 0 })
        {
            response = ExecutionError.DidNotReply().ToReply(_id);
        }

        return Close(context, response, used, null) with { Calls = calls };
    }

    // Records a response for the context (if it had none) and forgets the context once nothing is outstanding.
    private ExecutionResult Close(CallContextState context, CanisterReply? response, ulong used, ExecutionError? error)
    {
        UInt128 refund = 0;
        if (response is not null && context is { ExpectsResponse: true, Responded: false })
        {
            context.Responded = true;
            refund = context.CyclesAvailable;
            context.CyclesAvailable = 0;
        }
        else
        {
            response = null;
        }

        if (context.OutstandingCallbacks == 0)
        {
            _state.CallContexts.Remove(context.Id);
        }

        return new ExecutionResult(context.Id, response, [], used, error) { RefundedCycles = refund };
    }

    private sealed record Image(long HeapBytes, byte[]?[] Heap, (int Index, object Value)[] Globals, CanisterState State);

    private Image Capture() => new(_instance.HeapBytes, _instance.CaptureHeap(), _instance.CaptureGlobals(), _state.Capture());

    // Back to the image after a trap; the log keeps what the failed message printed, plus the trap.
    private void Rollback(Image image, MessageExecution? failed)
    {
        Apply(image, keepLogs: true);
        if (failed?.Error is { } error)
        {
            _state.AppendLog(failed.TimeNanos, Encoding.UTF8.GetBytes("[TRAP]: " + error.Description), Limits.LogBytes);
        }
    }

    // Back to the image after a query or inspect_message: nothing they did is kept, logs included.
    private void Discard(Image image) => Apply(image, keepLogs: false);

    private void Apply(Image image, bool keepLogs)
    {
        if (_instance.HeapBytes != image.HeapBytes)
        {
            // Memory cannot shrink: a fresh instance (no start function: it was part of the state) takes the image.
            var fresh = new WasmInstance(_engine, Module);
            _instance.Dispose();
            _instance = fresh;
            _instance.GrowTo(image.HeapBytes);
        }

        _instance.RestoreHeap(image.Heap);
        _instance.RestoreGlobals(image.Globals);
        _state.RestoreFrom(image.State, keepLogs);
    }
}
