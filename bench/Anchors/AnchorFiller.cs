using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using InternetIdentity.Agent.Canisters;
using InternetIdentity.Agent.Identities;
using InternetIdentity.IdentityCanister;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Anchors;

/// <summary>II's <c>ChallengeResult</c> (the captcha answer of v1 <c>register</c>; ignored when the captcha is off).</summary>
internal sealed record ChallengeResult(string Key, string Chars);

/// <summary>
/// Fills an II canister with anchors through its own v1 <c>register</c> method, in process: each anchor's device is a
/// real Ed25519 key derived from the seed and the anchor's index (so a client can later sign as it), registered by
/// its own principal, with a 32-byte WebAuthn credential id as II's passkeys have. The canister's rate limit is
/// respected by moving the call time one token period (10 s) per registration.
/// </summary>
internal static class AnchorFiller
{
    /// <summary>The time of the first registration (2023-11-14): later ones follow one token period apart.</summary>
    public const ulong StartNanos = 1_700_000_000_000_000_000;

    private const ulong TokenPeriodNanos = 10_000_000_000;

    /// <summary>The key of the anchor registered <paramref name="index"/>-th (0-based) from <paramref name="seed"/>.</summary>
    public static Ed25519Identity KeyOf(ulong seed, long index)
    {
        Span<byte> input = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(input, seed);
        BinaryPrimitives.WriteInt64LittleEndian(input[8..], index);
        return Ed25519Identity.FromSeed(SHA256.HashData(input));
    }

    /// <summary>The device the anchor registered <paramref name="index"/>-th holds.</summary>
    public static DeviceData DeviceOf(Ed25519Identity key, ulong seed, long index)
    {
        Span<byte> input = stackalloc byte[24];
        BinaryPrimitives.WriteUInt64LittleEndian(input, seed);
        BinaryPrimitives.WriteInt64LittleEndian(input[8..], index);
        "cred"u8.CopyTo(input[16..]);
        return new DeviceData(key.PublicKeyDer, "Chrome on Mac", SHA256.HashData(input[..20]), null, Purpose.Authentication, KeyType.Platform,
            DeviceProtection.Unprotected, "https://identity.ic0.app", null);
    }

    /// <summary>
    /// Registers anchors <paramref name="from"/> to <paramref name="to"/> - 1 (by registration index) and returns the
    /// time of the last call; keys are derived on every core while the canister registers in order on this thread.
    /// </summary>
    public static ulong Fill(InternetIdentityCanister canister, ulong seed, long from, long to, Action<long> progress)
    {
        ArgumentNullException.ThrowIfNull(canister);
        byte[] canisterId = canister.CanisterId.ToArray();
        const int Chunk = 4096;
        ulong time = StartNanos;
        var randomness = new byte[32];
        var keys = new System.Diagnostics.Stopwatch();
        var register = new System.Diagnostics.Stopwatch();
        for (long start = from; start < to; start += Chunk)
        {
            keys.Start();
            int n = (int)Math.Min(Chunk, to - start);
            var calls = new (byte[] Caller, byte[] Argument)[n];
            Parallel.For(0, n, i =>
            {
                Ed25519Identity key = KeyOf(seed, start + i);
                byte[] arg = CandidArgs.Encode(DeviceOf(key, seed, start + i), new ChallengeResult("", ""), (CandidPrincipal?)null);
                calls[i] = (Principal.SelfAuthenticating(key.PublicKeyDer).ToArray(), arg);
            });
            keys.Stop();
            register.Start();
            for (int i = 0; i < n; i++)
            {
                time = StartNanos + (ulong)(start + i) * TokenPeriodNanos;
                BinaryPrimitives.WriteInt64LittleEndian(randomness, start + i);
                CanisterReply reply = canister.Update(new CallContext(calls[i].Caller, time, randomness, canisterId), "register", calls[i].Argument);
                if (reply is CanisterReply.Rejected { Message: var reject })
                {
                    throw new InvalidOperationException($"register #{start + i} was rejected: {reject}");
                }
            }

            register.Stop();
            progress(start + n);
        }

        KeySeconds = keys.Elapsed.TotalSeconds;
        RegisterSeconds = register.Elapsed.TotalSeconds;
        return time;
    }

    /// <summary>Time the last <see cref="Fill"/> spent deriving keys and encoding arguments (on every core).</summary>
    public static double KeySeconds { get; private set; }

    /// <summary>Time the last <see cref="Fill"/> spent in the canister's <c>register</c>.</summary>
    public static double RegisterSeconds { get; private set; }
}
