using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace InternetIdentity.ThresholdSigning.Hashing;

/// <summary>
/// OpenSSL's low-level SHA256_Init/Update/Final, resolved once from libcrypto.so.3 (the library .NET's own crypto loads on
/// Linux). In OpenSSL 3 every EVP one-shot (and so <see cref="System.Security.Cryptography.SHA256.HashData(ReadOnlySpan{byte})"/>)
/// fetches and frees a method object and clears the error queue per call: about 550 ns for 64 bytes, where these three
/// calls on a stack context take under 100 ns with the same SHA extensions. A deterministic function, not I/O.
/// </summary>
internal static unsafe class LibCryptoSha256
{
    /// <summary>Bytes reserved for SHA256_CTX (112 in OpenSSL 1.1 and 3; kept with headroom).</summary>
    internal const int ContextBytes = 128;

    // Inputs up to this length are hashed without the GC transition: the call is then well under a microsecond and never
    // blocks, the documented condition for SuppressGCTransition. Longer inputs (modules, checkpoints) take the normal call
    // so that a long hash cannot hold up a garbage collection.
    private const int NoTransitionBytes = 1024;

    private static readonly delegate* unmanaged[SuppressGCTransition]<void*, int> s_init;
    private static readonly delegate* unmanaged[SuppressGCTransition]<void*, byte*, nuint, int> s_updateShort;
    private static readonly delegate* unmanaged<void*, byte*, nuint, int> s_update;
    private static readonly delegate* unmanaged[SuppressGCTransition]<byte*, void*, int> s_final;

    /// <summary>Whether the functions resolved and reproduce the FIPS 180-2 "abc" digest.</summary>
    internal static readonly bool IsAvailable;

    static LibCryptoSha256()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libcrypto.so.3", out IntPtr library))
        {
            return;
        }

        // The library stays loaded for the process: .NET's crypto holds it too, and the pointers below live in statics.
        if (!NativeLibrary.TryGetExport(library, "SHA256_Init", out IntPtr init)
            || !NativeLibrary.TryGetExport(library, "SHA256_Update", out IntPtr update)
            || !NativeLibrary.TryGetExport(library, "SHA256_Final", out IntPtr final))
        {
            return;
        }

        s_init = (delegate* unmanaged[SuppressGCTransition]<void*, int>)init;
        s_updateShort = (delegate* unmanaged[SuppressGCTransition]<void*, byte*, nuint, int>)update;
        s_update = (delegate* unmanaged<void*, byte*, nuint, int>)update;
        s_final = (delegate* unmanaged[SuppressGCTransition]<byte*, void*, int>)final;
        IsAvailable = SelfTest();
    }

    /// <summary>SHA256_Init on a context of <see cref="ContextBytes"/> bytes.</summary>
    internal static void Init(void* context)
    {
        ClearUpperVectorState(context);
        InitRaw(context);
    }

    /// <summary>SHA256_Update with <paramref name="data"/>.</summary>
    internal static void Update(void* context, ReadOnlySpan<byte> data)
    {
        ClearUpperVectorState(context);
        UpdateRaw(context, data);
    }

    /// <summary>SHA256_Final into the first 32 bytes of <paramref name="destination"/>; the context is spent.</summary>
    internal static void Final(void* context, Span<byte> destination)
    {
        ClearUpperVectorState(context);
        FinalRaw(context, destination);
    }

    /// <summary>The one-shot hash of <paramref name="data"/> into <paramref name="destination"/> (32 bytes or more).</summary>
    // Not zeroed: SHA256_Init writes the whole context.
    [SkipLocalsInit]
    internal static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        ulong* context = stackalloc ulong[ContextBytes / sizeof(ulong)];
        ClearUpperVectorState(context);
        InitRaw(context);
        UpdateRaw(context, data);
        FinalRaw(context, destination);
    }

    // OpenSSL's SHA code is legacy-SSE encoded; entered while managed code has left the upper halves of the ymm registers
    // dirty (the JIT zeroes and copies with 256-bit stores and puts no vzeroupper before unmanaged calls), every SSE
    // instruction pays the AVX-SSE transition: a 32-byte hash took 160 ns instead of 52 on this machine. The JIT ends a
    // method that uses 256-bit instructions with vzeroupper, so calling this one leaves the state clean.
    // (It reads 32 bytes of the context, whatever they hold, and returns a value so that the JIT keeps the 256-bit load.)
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static uint ClearUpperVectorState(void* context) =>
        Vector256.IsHardwareAccelerated ? Vector256.Load((byte*)context).ExtractMostSignificantBits() : 0;

    private static void InitRaw(void* context) => Check(s_init(context), "SHA256_Init");

    private static void UpdateRaw(void* context, ReadOnlySpan<byte> data)
    {
        if (data.Length > NoTransitionBytes)
        {
            UpdateLong(context, data);
            return;
        }

        fixed (byte* p = data)
        {
            Check(s_updateShort(context, p, (nuint)data.Length), "SHA256_Update");
        }
    }

    // Out of line: a method holding a call with a GC transition sets up a transition frame on every call, so the short path
    // must not contain one.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UpdateLong(void* context, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            Check(s_update(context, p, (nuint)data.Length), "SHA256_Update");
        }
    }

    private static void FinalRaw(void* context, Span<byte> destination)
    {
        fixed (byte* p = destination)
        {
            Check(s_final(p, context), "SHA256_Final");
        }
    }

    private static void Check(int result, string function)
    {
        if (result != 1)
        {
            throw new InvalidOperationException(function + " failed");
        }
    }

    // A binding that resolves but computes something else (another ABI, a stub library) must not be used.
    private static bool SelfTest()
    {
        Span<byte> digest = stackalloc byte[32];
        Hash("abc"u8, digest);
        return digest.SequenceEqual(
            (ReadOnlySpan<byte>)[0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad]);
    }
}
