using System.Runtime.InteropServices;

namespace InternetIdentity.ThresholdSigning.Fields.Native;

/// <summary>
/// Copies position-independent machine code into pages of its own and makes them read+execute (never writable and
/// executable at once), through libc's mmap and mprotect. Kept apart because it is the one place the pure core asks
/// the OS for anything: allocating memory for a deterministic function is neither I/O nor a clock, thread or random
/// source, the same as the JIT placing compiled code.
/// </summary>
internal static unsafe class ExecutableCode
{
    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4, MapPrivate = 2, MapAnonymous = 0x20;

    /// <summary>The address of a read+execute copy of <paramref name="code"/>, or null where that is not possible.</summary>
    /// <remarks>The pages stay mapped for the life of the process: the function pointers into them live in statics.</remarks>
    internal static byte* TryMap(ReadOnlySpan<byte> code)
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out IntPtr libc)
            || !NativeLibrary.TryGetExport(libc, "mmap", out IntPtr mmapExport)
            || !NativeLibrary.TryGetExport(libc, "mprotect", out IntPtr mprotectExport)
            || !NativeLibrary.TryGetExport(libc, "munmap", out IntPtr munmapExport))
        {
            return null;
        }

        var mmap = (delegate* unmanaged<void*, nuint, int, int, int, nint, void*>)mmapExport;
        var mprotect = (delegate* unmanaged<void*, nuint, int, int>)mprotectExport;
        var munmap = (delegate* unmanaged<void*, nuint, int>)munmapExport;

        const int pageSize = 4096;
        nuint length = (nuint)((code.Length + pageSize - 1) / pageSize * pageSize);
        void* pages = mmap(null, length, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (pages == (void*)-1)
        {
            return null;
        }

        code.CopyTo(new Span<byte>(pages, code.Length));
        if (mprotect(pages, length, ProtRead | ProtExec) != 0)
        {
            munmap(pages, length);
            return null;
        }

        return (byte*)pages;
    }
}
