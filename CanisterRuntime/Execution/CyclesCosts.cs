namespace InternetIdentity.CanisterRuntime.Execution;

/// <summary>
/// The IC's fees on a 13-node application subnet: what <c>ic0.cost_*</c> answers, and what a host that charges cycles
/// deducts for execution and ingress. Figures from the IC's cycles cost formulas (developer docs "Cycles costs" /
/// "cycles-cost-formulas", the replica's <c>CyclesAccountManagerConfig::application_subnet</c>): update message execution
/// 5,000,000 cycles plus 4 cycles per 10 instructions; ingress message reception 1,200,000 plus 2,000 per byte; xnet call
/// 260,000 plus 1,000 per byte; canister creation 500B.
/// </summary>
public static class CyclesCosts
{
    private const int SubnetSize = 13;

    /// <summary>The base fee of executing an update message, response callback, heartbeat or timer.</summary>
    public static readonly UInt128 UpdateMessageExecution = 5_000_000;

    /// <summary>The fee per ingress message received.</summary>
    public static readonly UInt128 IngressMessageReception = 1_200_000;

    /// <summary>The fee per byte of an ingress message received.</summary>
    public static readonly UInt128 IngressByteReception = 2_000;

    /// <summary>The fee of creating a canister (<c>ic0.cost_create_canister</c>).</summary>
    public static readonly UInt128 CreateCanister = 500_000_000_000;

    /// <summary>What executing a message that used <paramref name="instructions"/> costs: the base fee plus 0.4 cycles per instruction, rounded down as the IC does.</summary>
    public static UInt128 Execution(ulong instructions) => UpdateMessageExecution + (UInt128)instructions * 4 / 10;

    /// <summary>What inducting an ingress message of <paramref name="bytes"/> bytes costs.</summary>
    public static UInt128 IngressInduction(ulong bytes) => IngressMessageReception + IngressByteReception * bytes;

    /// <summary>What an inter-canister call costs the caller (<c>ic0.cost_call</c>).</summary>
    public static UInt128 Call(ulong methodNameSize, ulong payloadSize) =>
        260_000 + (UInt128)1_000 * ((UInt128)methodNameSize + payloadSize);

    /// <summary>What an HTTPS outcall costs (<c>ic0.cost_http_request</c>).</summary>
    public static UInt128 HttpRequest(ulong requestSize, ulong maxResponseBytes) =>
        (UInt128)(3_000_000 + 60_000 * SubnetSize) * SubnetSize + (UInt128)400 * SubnetSize * requestSize + (UInt128)800 * SubnetSize * maxResponseBytes;

    /// <summary>What a threshold ECDSA signature with the key costs, or null for an unknown key (curve 0 = secp256k1).</summary>
    public static UInt128? SignWithEcdsa(string keyName, int curve) => KeyCost(keyName);

    /// <summary>What a threshold Schnorr signature with the key costs, or null for an unknown key (0 = bip340secp256k1, 1 = ed25519).</summary>
    public static UInt128? SignWithSchnorr(string keyName, int algorithm) => KeyCost(keyName);

    /// <summary>What a vetKD key derivation with the key costs, or null for an unknown key (curve 0 = bls12_381_g2).</summary>
    public static UInt128? VetKdDeriveKey(string keyName, int curve) => KeyCost(keyName);

    private static UInt128? KeyCost(string keyName) => keyName switch
    {
        "dfx_test_key" or "test_key_1" => 10_000_000_000,
        "key_1" => 26_153_846_153,
        _ => null,
    };
}
