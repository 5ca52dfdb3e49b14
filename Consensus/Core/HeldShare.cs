using InternetIdentity.Consensus.Crypto;

namespace InternetIdentity.Consensus.Core;

/// <summary>A threshold signature share held toward a beacon or certification, and whether it was checked on its own.</summary>
/// <param name="Share">The share.</param>
/// <param name="Verified">True for this replica's own share and for shares verified individually.</param>
internal sealed record HeldShare(SignatureShare Share, bool Verified);
