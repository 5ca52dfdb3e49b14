using InternetIdentity.CanisterRuntime.Wasm;
using Wasmtime;

namespace InternetIdentity.CanisterRuntime.Execution;

/// <summary>
/// One Wasmtime store and instance of an instrumented module, with its memory, table and mutable globals, and the
/// heap images a rollback or snapshot is made of.
/// </summary>
internal sealed class WasmInstance : IDisposable
{
    public const int PageSize = 65536;

    private readonly (int Index, Global Global)[] _globals;
    private byte[]?[]? _lastCapture;

    public WasmInstance(CanisterEngine engine, CanisterModule module)
    {
        Module = module;
        Store = new Store(engine.Engine);
        Store.SetLimits(memorySize: engine.Limits.WasmMemoryBytes);
        Store.Fuel = 0;
        Instance = engine.Linker(module.Info.IsMemory64).Instantiate(Store, module.Compiled);
        Memory = module.Info.Memories.Count > 0 ? Instance.GetMemory(WasmInstrumentation.MemoryExport) : null;
        Table = module.Info.Tables.Count > 0 ? Instance.GetTable(WasmInstrumentation.TableExport) : null;
        var globals = new List<(int, Global)>();
        for (int i = 0; i < module.Info.DefinedGlobals.Count; i++)
        {
            WasmGlobalType type = module.Info.DefinedGlobals[i];
            if (type.Mutable && type.Type is WasmValueType.I32 or WasmValueType.I64 or WasmValueType.F32 or WasmValueType.F64)
            {
                globals.Add((i, Instance.GetGlobal(WasmInstrumentation.GlobalExport(i))!));
            }
        }

        _globals = [.. globals];
    }

    public CanisterModule Module { get; }

    public Store Store { get; }

    public Instance Instance { get; }

    public Memory? Memory { get; }

    public Table? Table { get; }

    public long HeapBytes => Memory?.GetLength() ?? 0;

    /// <summary>
    /// The heap as 64 KiB pages, null for an all-zero page. A page equal to its copy in the last capture shares that
    /// copy: a message changes few pages, and every capture (each update's rollback image) used to copy all of them.
    /// Page copies are never written.
    /// </summary>
    public byte[]?[] CaptureHeap()
    {
        long length = HeapBytes;
        var pages = new byte[]?[length / PageSize];
        byte[]?[]? last = _lastCapture;
        for (int p = 0; p < pages.Length; p++)
        {
            Span<byte> page = Memory!.GetSpan((long)p * PageSize, PageSize);
            byte[]? before = last is not null && p < last.Length ? last[p] : null;
            pages[p] = before is not null && page.SequenceEqual(before) ? before
                : page.ContainsAnyExcept((byte)0) ? page.ToArray() : null;
        }

        _lastCapture = pages;
        return pages;
    }

    /// <summary>Writes heap pages back; the memory must already have the pages' size (see <see cref="GrowTo"/>).</summary>
    public void RestoreHeap(byte[]?[] pages)
    {
        for (int p = 0; p < pages.Length; p++)
        {
            // Compared before written: a message touches few pages, and reading a page costs less than rewriting it.
            Span<byte> target = Memory!.GetSpan((long)p * PageSize, PageSize);
            if (pages[p] is byte[] bytes)
            {
                if (!target.SequenceEqual(bytes))
                {
                    bytes.CopyTo(target);
                }
            }
            else if (target.ContainsAnyExcept((byte)0))
            {
                target.Clear();
            }
        }
    }

    public void GrowTo(long bytes)
    {
        long missing = (bytes - HeapBytes) / PageSize;
        if (missing > 0)
        {
            Memory!.Grow(missing);
        }
    }

    /// <summary>The mutable globals' values in index order, as (defined index, value).</summary>
    public (int Index, object Value)[] CaptureGlobals() => [.. _globals.Select(g => (g.Index, g.Global.GetValue()!))];

    public void RestoreGlobals((int Index, object Value)[] values)
    {
        foreach ((int index, object value) in values)
        {
            _globals.First(g => g.Index == index).Global.SetValue(value);
        }
    }

    /// <summary>The function at a table index (a callback closure), or null.</summary>
    public Function? TableFunction(ulong index) =>
        Table is null || index >= (ulong)Table.GetSize() ? null : Table.GetElement((uint)index) as Function;

    public void Dispose() => Store.Dispose();
}
