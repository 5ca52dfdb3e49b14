using InternetIdentity.ThresholdSigning.Signatures;

namespace InternetIdentity.ThresholdSigning.Threshold;

/// <summary>A signature share: node <paramref name="NodeIndex"/>'s signature with its secret key share.</summary>
public sealed record SignatureShare(uint NodeIndex, Signature Signature);
