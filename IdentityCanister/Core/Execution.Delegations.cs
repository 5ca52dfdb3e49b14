using InternetIdentity.Protocol.HttpCertification;
using System.Text;
using InternetIdentity.IdentityCanister.State;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.IdentityCanister.Core;

/// <summary>A signed delegation as <c>get_delegation</c> returns it (targets always null).</summary>
internal sealed record SignedDelegation(byte[] SessionKey, ulong Expiration, byte[] Signature);

/// <summary>Delegations and pseudonyms (II's <c>delegation.rs</c> with ic-canister-sig-creation).</summary>
internal sealed partial class Execution
{
    /// <summary>DEFAULT_EXPIRATION_PERIOD_NS: 30 minutes.</summary>
    public const ulong DefaultExpirationPeriodNs = 30 * Time.MinuteNs;

    /// <summary>MAX_EXPIRATION_PERIOD_NS: 30 days.</summary>
    public const ulong MaxExpirationPeriodNs = 30 * Time.DayNs;

    /// <summary>Longest frontend hostname accepted.</summary>
    public const int MaxFrontendLength = 255;

    /// <summary><c>prepare_delegation</c>: returns the user key (canister-signature DER) and the expiration.</summary>
    public (byte[] UserKey, ulong Expiration) PrepareDelegation(ulong anchorNumber, string frontend, byte[] sessionKey, ulong? maxTimeToLive)
    {
        CheckFrontendLength(frontend);
        Authenticate(anchorNumber, recordActivity: true);
        if (State.Salt is null)
        {
            InitSalt();
        }

        ulong delta = Math.Min(maxTimeToLive ?? DefaultExpirationPeriodNs, MaxExpirationPeriodNs);
        ulong expiration = Time.SaturatingAdd(Now, delta);
        byte[] seed = CalculateSeed(anchorNumber, frontend);
        State = State with { Signatures = State.Signatures.Add(Sha256.HashData(seed), DelegationMessageHash(sessionKey, expiration), Now) };
        return (DerPublicKey.EncodeCanisterSignatureKey(CanisterId, seed), expiration);
    }

    /// <summary><c>get_delegation</c> (query): the signature from the certificate and a witness of the signature map.</summary>
    public SignedDelegation? GetDelegation(ulong anchorNumber, string frontend, byte[] sessionKey, ulong expiration)
    {
        CheckFrontendLength(frontend);
        Authenticate(anchorNumber, recordActivity: false);
        byte[] seed = CalculateSeed(anchorNumber, frontend);
        HashTree? witness = State.Signatures.Witness(Sha256.HashData(seed), DelegationMessageHash(sessionKey, expiration));
        if (witness is null)
        {
            return null;
        }

        if (Context.Certificate is not { } certificate)
        {
            throw new CanisterTrap("Failed to get signature: NoCertificate (the data certificate is only available in query calls)");
        }

        HashTree tree = HashTree.Fork(HashTree.Pruned(Assets.RootHash), HashTree.Labeled("sig", witness));
        byte[] signature = CanisterSignatures.Encode(certificate, tree);
        return new SignedDelegation(sessionKey, expiration, signature);
    }

    /// <summary><c>get_principal</c> (query): the pseudonym of the anchor at the frontend.</summary>
    public Principal GetPrincipal(ulong anchorNumber, string frontend)
    {
        CheckFrontendLength(frontend);
        Authenticate(anchorNumber, recordActivity: false);
        return Principal.SelfAuthenticating(DerPublicKey.EncodeCanisterSignatureKey(CanisterId, CalculateSeed(anchorNumber, frontend)));
    }

    /// <summary>
    /// The tree II certifies, <c>fork(fork(labeled http_assets, labeled http_expr), labeled("sig", signature map))</c>, as
    /// II's <c>update_root_hash</c>.
    /// </summary>
    public static CertifiedTreeLayout CertifiedTree(CanisterState state) => CertifiedTreeLayout.AssetsWith("sig", state.Signatures.RootHash);

    /// <summary>certified_data: the root hash of <see cref="CertifiedTree"/>.</summary>
    public static byte[] CertifiedData(CertifiedAssets assets, CanisterState state) => assets.CertifiedData(CertifiedTree(state));

    private static void CheckFrontendLength(string frontend)
    {
        int n = Encoding.UTF8.GetByteCount(frontend);
        if (n > MaxFrontendLength)
        {
            throw new CanisterTrap($"frontend hostname {n} exceeds the limit of {MaxFrontendLength} bytes");
        }
    }

    /// <summary>
    /// II's calculate_seed: SHA-256(|salt| salt |anchor| anchor |frontend| frontend), each part prefixed by its length
    /// in one byte, the anchor as decimal text.
    /// </summary>
    public byte[] CalculateSeed(ulong anchorNumber, string frontend)
    {
        ReadOnlySpan<byte> salt = State.Salt is { } s ? s.AsSpan() : throw new CanisterTrap("Salt is not set. Try calling init_salt() to set it");
        byte[] anchor = Encoding.ASCII.GetBytes(anchorNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
        byte[] origin = Encoding.UTF8.GetBytes(frontend);
        byte[] buf = new byte[3 + salt.Length + anchor.Length + origin.Length];
        int p = 0;
        buf[p++] = (byte)salt.Length;
        salt.CopyTo(buf.AsSpan(p));
        p += salt.Length;
        buf[p++] = (byte)anchor.Length;
        anchor.CopyTo(buf, p);
        p += anchor.Length;
        buf[p++] = (byte)origin.Length;
        origin.CopyTo(buf, p);
        return Sha256.HashData(buf);
    }

    /// <summary>
    /// SHA-256 of the signed delegation message: <c>"\x1Aic-request-auth-delegation" ‖ hash_of_map({pubkey, expiration})</c>.
    /// </summary>
    public static byte[] DelegationMessageHash(byte[] sessionKey, ulong expiration) =>
        Sha256.HashData(DelegationMessage(sessionKey, expiration));

    /// <summary>The signed delegation message (what the canister signature signs).</summary>
    public static byte[] DelegationMessage(byte[] sessionKey, ulong expiration) =>
        new Delegation(sessionKey, expiration).SignedMessage();
}
