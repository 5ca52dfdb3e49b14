using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.IdentityCanister.State;

/// <summary>
/// Serializes the whole canister state, heap parts included, in a canonical order (maps sorted by key), so equal
/// states give equal bytes and a restore is exact. The signature map is stored as its entries and expiry queue; its
/// treap shape is a function of the keys, so the certified root hash comes back identical.
/// </summary>
internal static class StateSnapshot
{
    // Version 02 added the development switches (fetch_root_key, dummy_auth) after the related origins; 01 is still read.
    private static readonly byte[] s_magic = "IISNAP02"u8.ToArray();
    private static readonly byte[] s_magicV1 = "IISNAP01"u8.ToArray();

    public static byte[] Write(CanisterState s)
    {
        var prepared = new Prepared(s);
        var w = SnapshotWriter.Exact(prepared.Length);
        Write(w, s, prepared.Anchors, prepared.Credentials);
        return w.ToArray();
    }

    /// <summary>The snapshot of <paramref name="s"/>, counted now and written later into a caller's buffer.</summary>
    public static IPreparedSnapshot Prepare(CanisterState s) => new Prepared(s);

    // Listed once, written twice: counted, then into a buffer of exactly that length. The state is immutable, so it may
    // be written any time later.
    private sealed class Prepared : IPreparedSnapshot
    {
        private readonly CanisterState _state;

        // Taken at every checkpoint, too rarely for tiered compilation to reach optimized code soon: optimized at once.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Prepared(CanisterState s)
        {
            _state = s;
            // Both maps iterate in key order, which is the snapshot's order (the credential ids' bytes order their hex).
            Anchors = [.. s.Anchors.Values];
            Credentials = [.. s.CredentialIndex];
            var counter = SnapshotWriter.Counting();
            Write(counter, s, Anchors, Credentials);
            Length = counter.Length <= Array.MaxLength ? (int)counter.Length : throw new InvalidOperationException($"a snapshot of {counter.Length} bytes is larger than an array");
        }

        public Anchor[] Anchors { get; }

        public KeyValuePair<ImmutableArray<byte>, ulong>[] Credentials { get; }

        public int Length { get; }

        public void WriteTo(Memory<byte> destination)
        {
            if (destination.Length != Length)
            {
                throw new ArgumentException($"the snapshot is {Length} bytes, the destination {destination.Length}", nameof(destination));
            }

            var w = SnapshotWriter.Into(destination);
            Write(w, _state, Anchors, Credentials);
            w.EnsureFull();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Write(SnapshotWriter w, CanisterState s, Anchor[] anchors, KeyValuePair<ImmutableArray<byte>, ulong>[] creds)
    {
        foreach (byte b in s_magic)
        {
            w.U8(b);
        }

        CanisterConfig c = s.Config;
        w.U64(c.RangeLo);
        w.U64(c.RangeHi);
        w.U64(c.TimePerTokenNs);
        w.U64(c.MaxTokens);
        w.U64(c.MaxUnsolvedCaptchas);
        w.U8(c.CaptchaEnabled ? (byte)1 : (byte)0);
        w.U8(c.RelatedOrigins is null ? (byte)0 : (byte)1);
        if (c.RelatedOrigins is { } origins)
        {
            w.U64((ulong)origins.Length);
            foreach (string o in origins)
            {
                w.String(o);
            }
        }

        w.U8(c.FetchRootKey ? (byte)1 : (byte)0);
        w.U8(c.DummyAuth is null ? (byte)0 : (byte)1);
        if (c.DummyAuth is { } dummy)
        {
            w.U8(dummy.PromptForIndex ? (byte)1 : (byte)0);
        }

        w.U8(c.AlternativeOrigins is null ? (byte)0 : (byte)1);
        if (c.AlternativeOrigins is { } alternatives)
        {
            w.U64((ulong)alternatives.Length);
            foreach (string o in alternatives)
            {
                w.String(o);
            }
        }

        w.U8(s.Salt is null ? (byte)0 : (byte)1);
        if (s.Salt is { } salt)
        {
            w.Bytes(salt.AsSpan());
        }

        w.U64((ulong)anchors.Length);
        foreach (Anchor a in anchors)
        {
            WriteAnchor(w, a);
        }

        w.U64((ulong)creds.Length);
        foreach (var (k, anchor) in creds)
        {
            w.Hex(k.AsSpan());
            w.U64(anchor);
        }

        w.U8(s.RateLimit is null ? (byte)0 : (byte)1);
        if (s.RateLimit is { } rl)
        {
            w.U64(rl.Tokens);
            w.U64(rl.Timestamp);
        }

        w.U64((ulong)s.Captchas.Count);
        foreach (var (key, entry) in s.Captchas)
        {
            w.String(key);
            WriteCaptcha(w, entry);
        }

        w.U64((ulong)s.TempKeys.Count);
        foreach (var (key, t) in s.TempKeys)
        {
            w.String(key);
            w.Bytes(t.Principal);
            w.U64(t.ExpiresAt);
        }

        w.U64((ulong)s.Flows.Count);
        foreach (var (key, f) in s.Flows)
        {
            w.String(key);
            w.U64(f.StartedAt);
            w.U8(f.Captcha is null ? (byte)0 : (byte)1);
            if (f.Captcha is { } captcha)
            {
                WriteCaptcha(w, captcha);
            }
        }

        w.U64((ulong)s.RegistrationModes.Count);
        foreach (var (anchor, m) in s.RegistrationModes)
        {
            w.U64(anchor);
            w.U64(m.Expiration);
            w.U8(m.TentativeDevice is null ? (byte)0 : (byte)1);
            if (m.TentativeDevice is { } d)
            {
                WriteDevice(w, d);
            }

            w.OptString(m.VerificationCode);
            w.U8(m.FailedAttempts);
        }

        var entries = TreapNode.InOrder(s.Signatures.Root)
            .SelectMany(seed => TreapNode.InOrder(seed.Inner).Select(msg => (seed.Key, msg.Key))).ToList();
        w.U64((ulong)entries.Count);
        foreach (var (seed, msg) in entries)
        {
            w.Bytes(seed);
            w.Bytes(msg);
        }

        w.U64((ulong)s.Signatures.QueueLength);
        foreach (SignatureExpiration e in s.Signatures.Queue)
        {
            w.Bytes(e.SeedHash);
            w.Bytes(e.MessageHash);
            w.U64(e.ExpiresAt);
        }
    }

    public static CanisterState Read(ReadOnlySpan<byte> bytes)
    {
        bool v1 = bytes.Length >= s_magicV1.Length && bytes[..s_magicV1.Length].SequenceEqual(s_magicV1);
        if (!v1 && (bytes.Length < s_magic.Length || !bytes[..s_magic.Length].SequenceEqual(s_magic)))
        {
            throw new FormatException("not an Internet Identity canister snapshot");
        }

        var r = new SnapshotReader(bytes[s_magic.Length..]);
        ulong lo = r.U64(), hi = r.U64(), tpt = r.U64(), max = r.U64(), maxCaptchas = r.U64();
        bool captchaEnabled = r.Flag();
        ImmutableArray<string>? origins = null;
        if (r.Flag())
        {
            int n = r.Count();
            var list = ImmutableArray.CreateBuilder<string>(n);
            for (int i = 0; i < n; i++)
            {
                list.Add(r.String());
            }

            origins = list.MoveToImmutable();
        }

        bool fetchRootKey = !v1 && r.Flag();
        DummyAuthConfig? dummyAuth = !v1 && r.Flag() ? new DummyAuthConfig(r.Flag()) : null;
        ImmutableArray<string>? alternatives = null;
        if (!v1 && r.Flag())
        {
            int n = r.Count();
            var list = ImmutableArray.CreateBuilder<string>(n);
            for (int i = 0; i < n; i++)
            {
                list.Add(r.String());
            }

            alternatives = list.MoveToImmutable();
        }

        var state = CanisterState.Initial(new CanisterConfig(lo, hi, tpt, max, maxCaptchas, captchaEnabled, origins, fetchRootKey, dummyAuth, alternatives));
        ImmutableArray<byte>? salt = r.Flag() ? [.. r.Bytes()] : null;

        int anchorCount = r.Count();
        var anchorsBuilder = new PersistentSortedMap<ulong, Anchor>.AscendingBuilder(Comparer<ulong>.Default);
        for (int i = 0; i < anchorCount; i++)
        {
            Anchor a = ReadAnchor(ref r);
            if (!anchorsBuilder.TryAdd(a.Number, a))
            {
                throw new FormatException($"snapshot: anchor numbers are not in strictly ascending order (anchor {a.Number})");
            }
        }

        PersistentSortedMap<ulong, Anchor> anchors = anchorsBuilder.ToMap();

        int credCount = r.Count();
        var credsBuilder = new PersistentSortedMap<ImmutableArray<byte>, ulong>.AscendingBuilder(CredentialIdComparer.Instance);
        for (int i = 0; i < credCount; i++)
        {
            byte[] id = r.Hex();
            ulong owner = r.U64();
            if (!credsBuilder.TryAdd(DeviceCredential(anchors, owner, id) ?? [.. id], owner))
            {
                throw new FormatException($"snapshot: credential ids are not in strictly ascending order ({Convert.ToHexStringLower(id)})");
            }
        }

        PersistentSortedMap<ImmutableArray<byte>, ulong> creds = credsBuilder.ToMap();

        RateLimitState? rate = r.Flag() ? new RateLimitState(r.U64(), r.U64()) : null;

        var captchas = state.Captchas.ToBuilder();
        for (int i = 0, n = r.Count(); i < n; i++)
        {
            string k = r.String();
            captchas[k] = ReadCaptcha(ref r);
        }

        var temp = state.TempKeys.ToBuilder();
        for (int i = 0, n = r.Count(); i < n; i++)
        {
            string k = r.String();
            temp[k] = new TempKey(r.Bytes(), r.U64());
        }

        var flows = state.Flows.ToBuilder();
        for (int i = 0, n = r.Count(); i < n; i++)
        {
            string k = r.String();
            ulong started = r.U64();
            flows[k] = new RegistrationFlow(started, r.Flag() ? ReadCaptcha(ref r) : null);
        }

        var modes = state.RegistrationModes.ToBuilder();
        for (int i = 0, n = r.Count(); i < n; i++)
        {
            ulong anchor = r.U64();
            ulong expiration = r.U64();
            DeviceData? device = r.Flag() ? ReadDevice(ref r) : null;
            modes[anchor] = new RegistrationMode(expiration, device, r.OptString(), r.U8());
        }

        var entries = new List<(byte[], byte[])>();
        for (int i = 0, n = r.Count(); i < n; i++)
        {
            entries.Add((r.Bytes(), r.Bytes()));
        }

        var queue = new List<SignatureExpiration>();
        for (int i = 0, n = r.Count(); i < n; i++)
        {
            queue.Add(new SignatureExpiration(r.Bytes(), r.Bytes(), r.U64()));
        }

        if (!r.AtEnd)
        {
            throw new FormatException("snapshot: trailing bytes");
        }

        return state with
        {
            Salt = salt,
            Anchors = anchors,
            CredentialIndex = creds,
            RateLimit = rate,
            Captchas = captchas.ToImmutable(),
            TempKeys = temp.ToImmutable(),
            Flows = flows.ToImmutable(),
            RegistrationModes = modes.ToImmutable(),
            Signatures = SignatureMap.Restore(entries, queue),
        };
    }

    // The owner's device's own credential id when it has this one, so that the index shares the device's bytes.
    private static ImmutableArray<byte>? DeviceCredential(PersistentSortedMap<ulong, Anchor> anchors, ulong owner, ReadOnlySpan<byte> id)
    {
        if (anchors.TryGetValue(owner, out Anchor? anchor))
        {
            foreach (Device d in anchor.Devices)
            {
                if (d.Data.CredentialId is { } cred && cred.AsSpan().SequenceEqual(id))
                {
                    return cred;
                }
            }
        }

        return null;
    }

    private static void WriteCaptcha(SnapshotWriter w, CaptchaEntry c)
    {
        w.Bytes(c.Seed.AsSpan());
        w.U64(c.CreatedAt);
    }

    private static CaptchaEntry ReadCaptcha(ref SnapshotReader r) => new([.. r.Bytes()], r.U64());

    private static void WriteAnchor(SnapshotWriter w, Anchor a)
    {
        w.U64(a.Number);
        w.OptU64(a.CreatedAt);
        w.OptString(a.Name);
        WriteMetadata(w, a.Metadata);
        w.U64((ulong)a.Devices.Length);
        foreach (Device d in a.Devices)
        {
            WriteDevice(w, d.Data);
            w.OptU64(d.LastUsage);
        }
    }

    private static Anchor ReadAnchor(ref SnapshotReader r)
    {
        ulong number = r.U64();
        ulong? created = r.OptU64();
        string? name = r.OptString();
        MetadataMap metadata = ReadMetadata(ref r, 0);
        int n = r.Count();
        var devices = ImmutableArray.CreateBuilder<Device>(n);
        for (int i = 0; i < n; i++)
        {
            DeviceData d = ReadDevice(ref r);
            devices.Add(new Device(d, r.OptU64()));
        }

        return new Anchor(number, devices.MoveToImmutable(), created, name, metadata);
    }

    private static void WriteDevice(SnapshotWriter w, DeviceData d)
    {
        w.Bytes(d.Pubkey.AsSpan());
        w.String(d.Alias);
        WriteOptBytes(w, d.CredentialId);
        WriteOptBytes(w, d.Aaguid);
        w.U8((byte)d.Purpose);
        w.U8((byte)d.KeyType);
        w.U8((byte)d.Protection);
        w.OptString(d.Origin);
        w.U8(d.Metadata is null ? (byte)0 : (byte)1);
        if (d.Metadata is { } m)
        {
            WriteMetadata(w, m);
        }
    }

    private static DeviceData ReadDevice(ref SnapshotReader r)
    {
        ImmutableArray<byte> pubkey = [.. r.Bytes()];
        string alias = r.SharedString();
        ImmutableArray<byte>? cred = r.Flag() ? [.. r.Bytes()] : null;
        ImmutableArray<byte>? aaguid = r.Flag() ? [.. r.Bytes()] : null;
        var purpose = (Purpose)Enum8(ref r, 1);
        var keyType = (KeyType)Enum8(ref r, 4);
        var protection = (DeviceProtection)Enum8(ref r, 1);
        string? origin = r.Flag() ? r.SharedString() : null;
        MetadataMap? metadata = r.Flag() ? ReadMetadata(ref r, 0) : null;
        return new DeviceData(pubkey, alias, cred, aaguid, purpose, keyType, protection, origin, metadata);
    }

    private static byte Enum8(ref SnapshotReader r, byte max)
    {
        byte b = r.U8();
        return b > max ? throw new FormatException("snapshot: invalid enum value") : b;
    }

    private static void WriteOptBytes(SnapshotWriter w, ImmutableArray<byte>? value)
    {
        w.U8(value is null ? (byte)0 : (byte)1);
        if (value is { } v)
        {
            w.Bytes(v.AsSpan());
        }
    }

    private static void WriteMetadata(SnapshotWriter w, MetadataMap m)
    {
        w.U64((ulong)m.Entries.Length);
        foreach (var (key, value) in m.Entries)
        {
            w.String(key);
            switch (value)
            {
                case MetadataValue.String s:
                    w.U8(0);
                    w.String(s.Value);
                    break;
                case MetadataValue.Bytes b:
                    w.U8(1);
                    w.Bytes(b.Value.AsSpan());
                    break;
                case MetadataValue.Map map:
                    w.U8(2);
                    WriteMetadata(w, map.Value);
                    break;
            }
        }
    }

    private static MetadataMap ReadMetadata(ref SnapshotReader r, int depth)
    {
        if (depth > 64)
        {
            throw new FormatException("snapshot: metadata nested too deeply");
        }

        int n = r.Count();
        var entries = ImmutableArray.CreateBuilder<KeyValuePair<string, MetadataValue>>(n);
        for (int i = 0; i < n; i++)
        {
            string key = r.SharedString();
            MetadataValue value = r.U8() switch
            {
                0 => new MetadataValue.String(r.String()),
                1 => new MetadataValue.Bytes([.. r.Bytes()]),
                2 => new MetadataValue.Map(ReadMetadata(ref r, depth + 1)),
                _ => throw new FormatException("snapshot: invalid metadata value"),
            };
            entries.Add(new(key, value));
        }

        return new MetadataMap(entries.MoveToImmutable());
    }
}
