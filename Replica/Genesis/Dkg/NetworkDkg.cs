using System.Net;
using System.Security.Cryptography;
using System.Text;
using InternetIdentity.ThresholdSigning.Threshold;
using NSec.Cryptography;

namespace InternetIdentity.Replica.Genesis.Dkg;

/// <summary>What one participant of a networked genesis needs.</summary>
/// <param name="Index">Its index (0..n-1): its position in <paramref name="Peers"/>.</param>
/// <param name="Peers">Every participant's DKG endpoint, the same list in the same order on every machine.</param>
/// <param name="BasePort">Replica i serves HTTP on P+i and Akka on P+n+i at its peer host (0: free ports, tests).</param>
/// <param name="FillRandom">The source of the node key and the dealings' secrets (the OS's random generator).</param>
public sealed record DkgOptions(int Index, IReadOnlyList<DnsEndPoint> Peers, int BasePort, Action<Span<byte>> FillRandom)
{
    /// <summary>Tests only: the receivers this participant deals a wrong share to (a faulty dealer, whom the others complain about).</summary>
    internal Func<int, bool>? CorruptShareFor { get; init; }
}

/// <summary>What a networked genesis produced for one participant.</summary>
/// <param name="Config">Its genesis configuration (public material and its own shares).</param>
/// <param name="Qualified">The dealers whose dealings make up the joint keys.</param>
/// <param name="Complaints">Who complained about which dealer (a share that did not decrypt or failed the Feldman check).</param>
public sealed record DkgOutcome(GenesisConfig Config, IReadOnlyList<int> Qualified, IReadOnlyList<(int By, int About)> Complaints);

/// <summary>
/// A subnet's genesis without a trusted dealer: joint-Feldman key generation (<see cref="JointFeldman"/>) between the
/// replicas over TCP. Each participant makes its own node key, publishes a signed hello (node key, X25519 key), deals
/// the certification (2f+1) and beacon (f+1) keys with every receiver's shares encrypted to it, checks its shares of
/// every dealing against the dealer's commitments and publishes a signed view (what it received and whom it complains
/// about); the dealings every participant saw alike and nobody complained about are summed. Each participant ends with
/// the public material and its own shares only, and checks that every participant computed the same joint keys.
/// </summary>
public static class NetworkDkg
{
    /// <summary>Runs the DKG as participant <c>options.Index</c> and returns its genesis configuration with the qualified dealers.</summary>
    /// <exception cref="DkgException">a peer sent something invalid, too few dealings qualified, or the peers disagree.</exception>
    public static async Task<DkgOutcome> RunAsync(DkgOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        int n = options.Peers.Count;
        int me = options.Index;
        if (n < 1 || me < 0 || me >= n)
        {
            throw new ArgumentException($"index {me} is not one of {n} peers", nameof(options));
        }

        byte[] session = SessionId(options.Peers, options.BasePort);
        byte[] seed = new byte[32];
        options.FillRandom(seed);
        var nodeKey = new NodeKey(seed);
        Array.Clear(seed);
        using Key agreement = ShareBox.CreateAgreementKey();
        await using DkgBoard board = DkgBoard.Start(IPAddress.Any, options.Peers[me].Port);
        int[] everyone = [.. Enumerable.Range(0, n)];
        string Who(int i) => $"replica {i} ({options.Peers[i].Host}:{options.Peers[i].Port})";

        // 1. Hellos: node keys and agreement keys.
        board.Publish("hello", DkgItems.Sign(nodeKey, session, "hello", new DkgHello(me, Convert.ToHexStringLower(nodeKey.PublicKeyDer),
            Convert.ToHexStringLower(agreement.PublicKey.Export(KeyBlobFormat.RawPublicKey)))));
        DkgHello[] hellos = await Task.WhenAll(everyone.Select(async i =>
        {
            byte[] item = await DkgFetch.ItemAsync(options.Peers[i], "hello", me, cancellationToken).ConfigureAwait(false);
            DkgHello hello = DkgItems.PeekHello(item, Who(i));
            byte[] der = Hex(hello.NodeKey, Who(i), "node key");
            _ = DkgItems.Open<DkgHello>(item, der, session, "hello", Who(i), out _);
            return hello.Index == i ? hello : throw new DkgException($"{Who(i)} says it is replica {hello.Index}: the --peers lists differ");
        })).ConfigureAwait(false);
        byte[][] nodeKeys = [.. hellos.Select((h, i) => Hex(h.NodeKey, Who(i), "node key"))];
        if (nodeKeys.Select(Convert.ToHexString).Distinct().Count() != n)
        {
            throw new DkgException("two participants have the same node key");
        }

        // 2. Dealings, each receiver's shares encrypted to it.
        int high = Thresholds.High(n);
        int low = Thresholds.Low(n);
        Dealing certification = Dealing.Create((uint)me, high, n, Random(options.FillRandom));
        Dealing beacon = Dealing.Create((uint)me, low, n, Random(options.FillRandom));
        string[] boxes = [.. everyone.Select(j => Convert.ToHexStringLower(ShareBox.Seal(agreement, Hex(hellos[j].AgreementKey, Who(j), "agreement key"),
            session, me, j, Plaintext(certification, beacon, j, options.CorruptShareFor?.Invoke(j) == true))))];
        board.Publish("dealing", DkgItems.Sign(nodeKey, session, "dealing", new DkgDealing(me,
            Convert.ToHexStringLower(certification.Commitments.ToBytes()), Convert.ToHexStringLower(beacon.Commitments.ToBytes()), boxes)));

        // 3. Every dealing: my shares checked against the dealer's commitments; a complaint otherwise.
        Received[] received = await Task.WhenAll(everyone.Select(async d =>
        {
            byte[] item = await DkgFetch.ItemAsync(options.Peers[d], "dealing", me, cancellationToken).ConfigureAwait(false);
            DkgDealing dealing = DkgItems.Open<DkgDealing>(item, nodeKeys[d], session, "dealing", Who(d), out byte[] json);
            return Check(dealing, d, me, n, high, low, agreement, hellos[d], session, json);
        })).ConfigureAwait(false);
        int[] complaints = [.. everyone.Where(d => received[d].Shares is null)];
        board.Publish("view", DkgItems.Sign(nodeKey, session, "view",
            new DkgView(me, [.. received.Select(r => Convert.ToHexStringLower(r.Hash))], complaints)));

        // 4. Views: a dealing qualifies when every participant received the same one and none complains about it.
        DkgView[] views = await Task.WhenAll(everyone.Select(async i =>
        {
            byte[] item = await DkgFetch.ItemAsync(options.Peers[i], "view", me, cancellationToken).ConfigureAwait(false);
            DkgView view = DkgItems.Open<DkgView>(item, nodeKeys[i], session, "view", Who(i), out _);
            return view.Index == i && view.Dealings.Count == n ? view : throw new DkgException($"{Who(i)} sent a malformed view");
        })).ConfigureAwait(false);
        int[] qualified = [.. everyone.Where(d => received[d].Shares is not null
            && views.All(v => v.Dealings[d] == Convert.ToHexStringLower(received[d].Hash) && !v.Complaints.Contains(d)))];
        if (qualified.Length < Thresholds.FaultsTolerated(n) + 1)
        {
            throw new DkgException($"only {qualified.Length} dealings qualified ({string.Join(", ", qualified)}); at least " +
                $"{Thresholds.FaultsTolerated(n) + 1} are needed so that one honest dealer contributes; complaints: " +
                string.Join("; ", views.Where(v => v.Complaints.Count > 0).Select(v => $"replica {v.Index} about {string.Join(", ", v.Complaints)}")));
        }

        var certificationKey = new ThresholdPublicKey(PublicCoefficients.Sum([.. qualified.Select(d => received[d].Certification!)]));
        var beaconKey = new ThresholdPublicKey(PublicCoefficients.Sum([.. qualified.Select(d => received[d].Beacon!)]));
        SecretKeyShare certificationShare = JointFeldman.CombineShares((uint)me, [.. qualified.Select(d => received[d].Shares!.Value.Certification)]);
        SecretKeyShare beaconShare = JointFeldman.CombineShares((uint)me, [.. qualified.Select(d => received[d].Shares!.Value.Beacon)]);
        foreach (Received r in received)
        {
            r.Shares?.Certification.Dispose();
            r.Shares?.Beacon.Dispose();
        }

        // 5. Every participant must have computed the same joint keys.
        var result = new DkgResultItem(me, Convert.ToHexStringLower(certificationKey.Coefficients.ToBytes()),
            Convert.ToHexStringLower(beaconKey.Coefficients.ToBytes()), qualified);
        board.Publish("result", DkgItems.Sign(nodeKey, session, "result", result));
        await Task.WhenAll(everyone.Select(async i =>
        {
            byte[] item = await DkgFetch.ItemAsync(options.Peers[i], "result", me, cancellationToken).ConfigureAwait(false);
            DkgResultItem theirs = DkgItems.Open<DkgResultItem>(item, nodeKeys[i], session, "result", Who(i), out _);
            if (theirs.Certification != result.Certification || theirs.Beacon != result.Beacon)
            {
                throw new DkgException($"{Who(i)} computed other joint keys (qualified dealers {string.Join(", ", theirs.Qualified)}; " +
                    $"here {string.Join(", ", qualified)})");
            }
        })).ConfigureAwait(false);

        // Stay until every peer has this participant's result: then nobody needs anything more from it.
        await board.WaitFetchedAsync("result", everyone.Where(i => i != me), cancellationToken).ConfigureAwait(false);

        PeerInfo[] peers = [.. everyone.Select(i =>
        {
            int http = options.BasePort == 0 ? 0 : options.BasePort + i;
            int akka = options.BasePort == 0 ? 0 : options.BasePort + n + i;
            return new PeerInfo(i, Protocol.Principals.Principal.SelfAuthenticating(nodeKeys[i]), nodeKeys[i], options.Peers[i].Host, http, akka);
        })];
        GenesisConfig config = GenesisConfig.Create(me, nodeKey, peers, new ThresholdKeyMaterial("certification", certificationKey, certificationShare),
            new ThresholdKeyMaterial("beacon", beaconKey, beaconShare));
        return new DkgOutcome(config, qualified, [.. views.SelectMany(v => v.Complaints.Select(d => (v.Index, d)))]);
    }

    // The receiver's certification and beacon shares; a corrupted one (tests) is another scalar, so it fails the Feldman check.
    private static byte[] Plaintext(Dealing certification, Dealing beacon, int receiver, bool corrupt)
    {
        byte[] c = certification.ShareFor((uint)receiver).ToBytes();
        if (corrupt)
        {
            c[^1] ^= 1;
        }

        return [.. c, .. beacon.ShareFor((uint)receiver).ToBytes()];
    }

    /// <summary>
    /// The session every participant derives from the same command line (peers in order and base port): items signed in
    /// one genesis count in no other.
    /// </summary>
    public static byte[] SessionId(IReadOnlyList<DnsEndPoint> peers, int basePort)
    {
        ArgumentNullException.ThrowIfNull(peers);
        string text = $"iinet-dkg-session-v1|{basePort}|" + string.Join(",", peers.Select(p => $"{p.Host}:{p.Port}"));
        return SHA256.HashData(Encoding.UTF8.GetBytes(text));
    }

    private sealed record Received(byte[] Hash, PublicCoefficients? Certification, PublicCoefficients? Beacon,
        (SecretKeyShare Certification, SecretKeyShare Beacon)? Shares);

    private static Received Check(DkgDealing dealing, int dealer, int me, int n, int high, int low, Key agreement, DkgHello dealerHello,
        byte[] session, byte[] json)
    {
        try
        {
            return CheckShares(dealing, dealer, me, n, high, low, agreement, dealerHello, session, json);
        }
        catch (FormatException)
        {
            return new Received(SHA256.HashData(json), null, null, null); // not hex: a complaint like any bad share
        }
    }

    private static Received CheckShares(DkgDealing dealing, int dealer, int me, int n, int high, int low, Key agreement, DkgHello dealerHello,
        byte[] session, byte[] json)
    {
        byte[] hash = SHA256.HashData(json);
        var none = new Received(hash, null, null, null);
        if (dealing.Dealer != dealer || dealing.Shares.Count != n
            || !PublicCoefficients.TryFromBytes(Convert.FromHexString(dealing.Certification), out PublicCoefficients? certification, out _)
            || !PublicCoefficients.TryFromBytes(Convert.FromHexString(dealing.Beacon), out PublicCoefficients? beacon, out _)
            || certification.Threshold != high || beacon.Threshold != low)
        {
            return none;
        }

        byte[]? plain = ShareBox.Open(agreement, Convert.FromHexString(dealerHello.AgreementKey), session, dealer, me, Convert.FromHexString(dealing.Shares[me]));
        if (plain is not { Length: 64 }
            || !SecretKeyShare.TryFromBytes((uint)me, plain.AsSpan(0, 32), out SecretKeyShare? c)
            || !SecretKeyShare.TryFromBytes((uint)me, plain.AsSpan(32), out SecretKeyShare? b))
        {
            return none with { Certification = certification, Beacon = beacon };
        }

        Array.Clear(plain);
        bool consistent = c.PublicKey.Equals(certification.IndividualPublicKey((uint)me)) && b.PublicKey.Equals(beacon.IndividualPublicKey((uint)me));
        return new Received(hash, certification, beacon, consistent ? (c, b) : null);
    }

    private static byte[] Hex(string hex, string from, string what)
    {
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new DkgException($"{from} sent a {what} that is not hex");
        }
    }

    private static byte[] Random(Action<Span<byte>> fill)
    {
        byte[] bytes = new byte[32];
        fill(bytes);
        return bytes;
    }
}
