using System.Text;

namespace InternetIdentity.CanisterRuntime.Wasm;

/// <summary>
/// Rewrites a module the way the IC instruments it before execution, so the host can reach what Wasmtime only shows
/// through exports: the start function becomes an export the host calls itself (so a kept heap can be put in place
/// before it runs), and the main memory, the function table (callbacks are table indices) and every defined global
/// (part of the canister's state, rolled back on a trap) are exported under reserved names.
/// </summary>
public static class WasmInstrumentation
{
    /// <summary>The export name of the former start function.</summary>
    public const string StartExport = "<ic-runtime> start";

    /// <summary>The export name of memory 0.</summary>
    public const string MemoryExport = "<ic-runtime> memory";

    /// <summary>The export name of table 0.</summary>
    public const string TableExport = "<ic-runtime> table";

    /// <summary>The export name of the defined global with the given index among the defined globals.</summary>
    public static string GlobalExport(int definedIndex) => "<ic-runtime> global " + definedIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Returns the instrumented module bytes.</summary>
    /// <exception cref="WasmFormatException">the bytes are not a well-formed module.</exception>
    public static byte[] Instrument(ReadOnlySpan<byte> wasm, WasmModuleInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var exports = new List<WasmExport>(info.Exports);
        if (info.StartFunction is uint start)
        {
            exports.Add(new WasmExport(StartExport, WasmExternKind.Function, start));
        }

        if (info.Memories.Count > 0)
        {
            exports.Add(new WasmExport(MemoryExport, WasmExternKind.Memory, 0));
        }

        if (info.Tables.Count > 0)
        {
            exports.Add(new WasmExport(TableExport, WasmExternKind.Table, 0));
        }

        for (int i = 0; i < info.DefinedGlobals.Count; i++)
        {
            exports.Add(new WasmExport(GlobalExport(i), WasmExternKind.Global, (uint)(info.ImportedGlobalCount + i)));
        }

        byte[] exportSection = EncodeExportSection(exports);
        using var output = new MemoryStream(wasm.Length + exportSection.Length);
        output.Write(wasm[..8]);
        bool written = false;
        foreach (WasmSectionSpan section in info.Sections)
        {
            bool after = section.Id is 8 or 9 or 10 or 11 or 12;
            if (!written && (section.Id == 7 || after))
            {
                output.Write(exportSection);
                written = true;
            }

            if (section.Id is 7 or 8)
            {
                continue;
            }

            output.Write(wasm[section.Start..section.End]);
        }

        if (!written)
        {
            output.Write(exportSection);
        }

        return output.ToArray();
    }

    private static byte[] EncodeExportSection(List<WasmExport> exports)
    {
        var content = new List<byte>();
        WriteU32(content, (uint)exports.Count);
        foreach (WasmExport export in exports)
        {
            byte[] name = Encoding.UTF8.GetBytes(export.Name);
            WriteU32(content, (uint)name.Length);
            content.AddRange(name);
            content.Add((byte)export.Kind);
            WriteU32(content, export.Index);
        }

        var section = new List<byte> { 7 };
        WriteU32(section, (uint)content.Count);
        section.AddRange(content);
        return [.. section];
    }

    private static void WriteU32(List<byte> output, uint value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            output.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
    }
}
