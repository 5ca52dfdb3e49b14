namespace InternetIdentity.Consensus.Crypto;

/// <summary>One replica's share of a threshold signature (a BLS share in the real scheme).</summary>
/// <param name="NodeIndex">The signing replica's index, 0..n-1.</param>
/// <param name="Bytes">The share bytes.</param>
public sealed record SignatureShare(int NodeIndex, byte[] Bytes);
