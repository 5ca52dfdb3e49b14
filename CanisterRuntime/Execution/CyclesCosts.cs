namespace InternetIdentity.CanisterRuntime.Execution;

/// <summary>
/// The figures <c>ic0.cost_*</c> answer: the IC's fees on a 13-node application subnet. Nothing is charged from them
/// unless the host chooses to; they are here so canisters that ask get IC-like answers.
/// </summary>
internal static class CyclesCosts
{
    private const int SubnetSize = 13;

    public static readonly UInt128 CreateCanister = 500_000_000_000;

    public static UInt128 Call(ulong methodNameSize, ulong payloadSize) =>
        260_000 + (UInt128)1_000 * ((UInt128)methodNameSize + payloadSize);

    public static UInt128 HttpRequest(ulong requestSize, ulong maxResponseBytes) =>
        (UInt128)(3_000_000 + 60_000 * SubnetSize) * SubnetSize + (UInt128)400 * SubnetSize * requestSize + (UInt128)800 * SubnetSize * maxResponseBytes;

    // Curve 0 = secp256k1.
    public static UInt128? SignWithEcdsa(string keyName, int curve) => KeyCost(keyName);

    // Algorithm 0 = bip340secp256k1, 1 = ed25519.
    public static UInt128? SignWithSchnorr(string keyName, int algorithm) => KeyCost(keyName);

    // Curve 0 = bls12_381_g2.
    public static UInt128? VetKdDeriveKey(string keyName, int curve) => KeyCost(keyName);

    private static UInt128? KeyCost(string keyName) => keyName switch
    {
        "dfx_test_key" or "test_key_1" => 10_000_000_000,
        "key_1" => 26_153_846_153,
        _ => null,
    };
}
