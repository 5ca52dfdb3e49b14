namespace InternetIdentity.CanisterRuntime.Wasm;

/// <summary>A WebAssembly value type.</summary>
public enum WasmValueType
{
    /// <summary>i32.</summary>
    I32,

    /// <summary>i64.</summary>
    I64,

    /// <summary>f32.</summary>
    F32,

    /// <summary>f64.</summary>
    F64,

    /// <summary>v128.</summary>
    V128,

    /// <summary>funcref.</summary>
    FuncRef,

    /// <summary>externref.</summary>
    ExternRef,
}

/// <summary>What an import or export names: a function, table, memory, global or tag.</summary>
public enum WasmExternKind
{
    /// <summary>A function.</summary>
    Function = 0,

    /// <summary>A table.</summary>
    Table = 1,

    /// <summary>A linear memory.</summary>
    Memory = 2,

    /// <summary>A global.</summary>
    Global = 3,

    /// <summary>An exception tag.</summary>
    Tag = 4,
}

/// <summary>A function type: parameter and result types.</summary>
/// <param name="Parameters">The parameter types.</param>
/// <param name="Results">The result types.</param>
public sealed record WasmFunctionType(IReadOnlyList<WasmValueType> Parameters, IReadOnlyList<WasmValueType> Results)
{
    /// <summary>The type as the IC's validator prints it, e.g. <c>[I32, I64]</c>.</summary>
    public static string Describe(IReadOnlyList<WasmValueType> types) => "[" + string.Join(", ", types) + "]";
}

/// <summary>An import: module name, field name, kind and, for a function, its type.</summary>
/// <param name="Module">The module it is imported from (for the IC, <c>ic0</c>).</param>
/// <param name="Name">The field name.</param>
/// <param name="Kind">What is imported.</param>
/// <param name="FunctionType">The function's type, for a function import.</param>
public sealed record WasmImport(string Module, string Name, WasmExternKind Kind, WasmFunctionType? FunctionType);

/// <summary>An export: name, kind and index in its index space.</summary>
/// <param name="Name">The export name.</param>
/// <param name="Kind">What is exported.</param>
/// <param name="Index">The index in the kind's index space.</param>
public sealed record WasmExport(string Name, WasmExternKind Kind, uint Index);

/// <summary>A custom section: its name and content.</summary>
/// <param name="Name">The section name.</param>
/// <param name="Content">The section's bytes after the name.</param>
public sealed record WasmCustomSection(string Name, ReadOnlyMemory<byte> Content);

/// <summary>A global defined by the module: its type and mutability.</summary>
/// <param name="Type">The value type.</param>
/// <param name="Mutable">Whether it is mutable.</param>
public sealed record WasmGlobalType(WasmValueType Type, bool Mutable);

/// <summary>A section's place in the binary (for rewriting).</summary>
/// <param name="Id">The section id.</param>
/// <param name="Start">The offset of the section id byte.</param>
/// <param name="End">The offset after the section's content.</param>
internal sealed record WasmSectionSpan(byte Id, int Start, int End);

/// <summary>
/// The structure of a WebAssembly binary module that the IC's validation and our host need: types, imports, exports,
/// memories, tables, defined globals, the start function and custom sections. Function bodies are not decoded
/// (Wasmtime validates them).
/// </summary>
public sealed class WasmModuleInfo
{
    private WasmModuleInfo()
    {
    }

    /// <summary>The function types of the type section.</summary>
    public IReadOnlyList<WasmFunctionType> Types { get; private init; } = [];

    /// <summary>The imports, in order.</summary>
    public IReadOnlyList<WasmImport> Imports { get; private init; } = [];

    /// <summary>The exports, in order.</summary>
    public IReadOnlyList<WasmExport> Exports { get; private init; } = [];

    /// <summary>The type of every function (imported first, then defined), by function index.</summary>
    public IReadOnlyList<WasmFunctionType> FunctionTypes { get; private init; } = [];

    /// <summary>For each memory (imported first, then defined): whether it is a 64-bit memory.</summary>
    public IReadOnlyList<bool> Memories { get; private init; } = [];

    /// <summary>For each table (imported first, then defined): whether it is a 64-bit table.</summary>
    public IReadOnlyList<bool> Tables { get; private init; } = [];

    /// <summary>The globals the module defines (imported globals come first in the index space).</summary>
    public IReadOnlyList<WasmGlobalType> DefinedGlobals { get; private init; } = [];

    /// <summary>The number of imported globals (the index of the first defined global).</summary>
    public int ImportedGlobalCount { get; private init; }

    /// <summary>The start function's index, if any.</summary>
    public uint? StartFunction { get; private init; }

    /// <summary>The custom sections, in order.</summary>
    public IReadOnlyList<WasmCustomSection> CustomSections { get; private init; } = [];

    /// <summary>The module's main memory is 64-bit (memory64): the System API then takes i64 pointers.</summary>
    public bool IsMemory64 => Memories.Count > 0 && Memories[0];

    internal IReadOnlyList<WasmSectionSpan> Sections { get; private init; } = [];

    /// <summary>Parses a binary module.</summary>
    /// <exception cref="WasmFormatException">the bytes are not a well-formed module.</exception>
    public static WasmModuleInfo Parse(ReadOnlySpan<byte> wasm)
    {
        var reader = new WasmReader(wasm);
        if (wasm.Length < 8 || !wasm[..4].SequenceEqual("\0asm"u8))
        {
            throw new WasmFormatException("not a WebAssembly module: the magic bytes \\0asm are missing");
        }

        reader.ReadBytes(4);
        if (!reader.ReadBytes(4).SequenceEqual(new byte[] { 1, 0, 0, 0 }))
        {
            throw new WasmFormatException("unsupported WebAssembly binary version (expected 1)");
        }

        var types = new List<WasmFunctionType>();
        var imports = new List<WasmImport>();
        var exports = new List<WasmExport>();
        var functionTypes = new List<WasmFunctionType>();
        var memories = new List<bool>();
        var tables = new List<bool>();
        var globals = new List<WasmGlobalType>();
        var customs = new List<WasmCustomSection>();
        var sections = new List<WasmSectionSpan>();
        int importedGlobals = 0;
        uint? start = null;
        while (!reader.AtEnd)
        {
            int sectionStart = reader.Position;
            byte id = reader.ReadByte();
            int size = checked((int)reader.ReadU32());
            int contentStart = reader.Position;
            ReadOnlySpan<byte> content = reader.ReadBytes(size);
            sections.Add(new WasmSectionSpan(id, sectionStart, reader.Position));
            var section = new WasmReader(content);
            switch (id)
            {
                case 0:
                    string name = section.ReadName();
                    int offset = contentStart + section.Position;
                    customs.Add(new WasmCustomSection(name, wasm.Slice(offset, size - section.Position).ToArray()));
                    continue;
                case 1:
                    for (uint i = 0, n = section.ReadU32(); i < n; i++)
                    {
                        types.Add(ReadFunctionType(ref section));
                    }

                    break;
                case 2:
                    for (uint i = 0, n = section.ReadU32(); i < n; i++)
                    {
                        string module = section.ReadName();
                        string field = section.ReadName();
                        var kind = (WasmExternKind)section.ReadByte();
                        WasmFunctionType? type = null;
                        switch (kind)
                        {
                            case WasmExternKind.Function:
                                type = TypeAt(types, section.ReadU32());
                                functionTypes.Add(type);
                                break;
                            case WasmExternKind.Table:
                                section.ReadByte();
                                tables.Add(ReadLimits(ref section));
                                break;
                            case WasmExternKind.Memory:
                                memories.Add(ReadLimits(ref section));
                                break;
                            case WasmExternKind.Global:
                                section.ReadByte();
                                section.ReadByte();
                                importedGlobals++;
                                break;
                            case WasmExternKind.Tag:
                                section.ReadByte();
                                section.ReadU32();
                                break;
                            default:
                                throw new WasmFormatException($"unknown import kind {(int)kind}");
                        }

                        imports.Add(new WasmImport(module, field, kind, type));
                    }

                    break;
                case 3:
                    for (uint i = 0, n = section.ReadU32(); i < n; i++)
                    {
                        functionTypes.Add(TypeAt(types, section.ReadU32()));
                    }

                    break;
                case 4:
                    for (uint i = 0, n = section.ReadU32(); i < n; i++)
                    {
                        if (section.ReadByte() == 0x40)
                        {
                            throw new WasmFormatException("tables with initializer expressions are not supported");
                        }

                        tables.Add(ReadLimits(ref section));
                    }

                    break;
                case 5:
                    for (uint i = 0, n = section.ReadU32(); i < n; i++)
                    {
                        memories.Add(ReadLimits(ref section));
                    }

                    break;
                case 6:
                    for (uint i = 0, n = section.ReadU32(); i < n; i++)
                    {
                        WasmValueType type = ReadValueType(ref section);
                        bool mutable = section.ReadByte() == 1;
                        SkipConstExpr(ref section);
                        globals.Add(new WasmGlobalType(type, mutable));
                    }

                    break;
                case 7:
                    for (uint i = 0, n = section.ReadU32(); i < n; i++)
                    {
                        string name2 = section.ReadName();
                        var kind = (WasmExternKind)section.ReadByte();
                        exports.Add(new WasmExport(name2, kind, section.ReadU32()));
                    }

                    break;
                case 8:
                    start = section.ReadU32();
                    break;
                default:
                    continue; // elements, code, data, data count, tags: left to Wasmtime's validation
            }

            if (!section.AtEnd)
            {
                throw new WasmFormatException($"section {id} has {size - section.Position} trailing bytes");
            }
        }

        return new WasmModuleInfo
        {
            Types = types,
            Imports = imports,
            Exports = exports,
            FunctionTypes = functionTypes,
            Memories = memories,
            Tables = tables,
            DefinedGlobals = globals,
            ImportedGlobalCount = importedGlobals,
            StartFunction = start,
            CustomSections = customs,
            Sections = sections,
        };
    }

    private static WasmFunctionType TypeAt(List<WasmFunctionType> types, uint index) =>
        index < types.Count ? types[(int)index] : throw new WasmFormatException($"type index {index} out of range");

    private static WasmFunctionType ReadFunctionType(ref WasmReader reader)
    {
        byte form = reader.ReadByte();
        if (form != 0x60)
        {
            throw new WasmFormatException($"unsupported type form 0x{form:x2} (only function types are allowed)");
        }

        var parameters = new List<WasmValueType>();
        for (uint i = 0, n = reader.ReadU32(); i < n; i++)
        {
            parameters.Add(ReadValueType(ref reader));
        }

        var results = new List<WasmValueType>();
        for (uint i = 0, n = reader.ReadU32(); i < n; i++)
        {
            results.Add(ReadValueType(ref reader));
        }

        return new WasmFunctionType(parameters, results);
    }

    private static WasmValueType ReadValueType(ref WasmReader reader)
    {
        byte b = reader.ReadByte();
        return b switch
        {
            0x7F => WasmValueType.I32,
            0x7E => WasmValueType.I64,
            0x7D => WasmValueType.F32,
            0x7C => WasmValueType.F64,
            0x7B => WasmValueType.V128,
            0x70 => WasmValueType.FuncRef,
            0x6F => WasmValueType.ExternRef,
            _ => throw new WasmFormatException($"unsupported value type 0x{b:x2}"),
        };
    }

    // Limits: flag bit 0 = has maximum, bit 1 = shared, bit 2 = 64-bit; returns whether 64-bit.
    private static bool ReadLimits(ref WasmReader reader)
    {
        byte flags = reader.ReadByte();
        if (flags > 7)
        {
            throw new WasmFormatException($"unsupported limits flags 0x{flags:x2}");
        }

        reader.ReadVarUInt(64);
        if ((flags & 1) != 0)
        {
            reader.ReadVarUInt(64);
        }

        return (flags & 4) != 0;
    }

    private static void SkipConstExpr(ref WasmReader reader)
    {
        while (true)
        {
            byte op = reader.ReadByte();
            switch (op)
            {
                case 0x0B:
                    return;
                case 0x41 or 0x42 or 0x23 or 0xD2:
                    reader.ReadVarUInt(64);
                    break;
                case 0x43:
                    reader.ReadBytes(4);
                    break;
                case 0x44:
                    reader.ReadBytes(8);
                    break;
                case 0xD0:
                    reader.ReadByte();
                    break;
                case 0x6A or 0x6B or 0x6C or 0x7C or 0x7D or 0x7E:
                    break;
                case 0xFD:
                    reader.ReadU32();
                    reader.ReadBytes(16);
                    break;
                default:
                    throw new WasmFormatException($"unsupported instruction 0x{op:x2} in a constant expression");
            }
        }
    }
}
