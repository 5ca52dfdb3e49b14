using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Threshold;

/// <summary>
/// A verifiable dealing: a dealer's public coefficients and one secret share per receiver (receiver j's share at
/// x = j + 1). In a network the shares travel encrypted to their receivers; here they are plain values.
/// </summary>
public sealed class Dealing
{
    private readonly Fr[] _shares;

    internal Dealing(uint dealerIndex, PublicCoefficients commitments, Fr[] shares)
    {
        DealerIndex = dealerIndex;
        Commitments = commitments;
        _shares = shares;
    }

    /// <summary>Who dealt it.</summary>
    public uint DealerIndex { get; }

    /// <summary>The public coefficients of the dealer's polynomial.</summary>
    public PublicCoefficients Commitments { get; }

    /// <summary>The number of receivers.</summary>
    public int Receivers => _shares.Length;

    /// <summary>The threshold of the dealt key.</summary>
    public int Threshold => Commitments.Threshold;

    /// <summary>Receiver <paramref name="receiverIndex"/>'s secret share.</summary>
    public SecretKeyShare ShareFor(uint receiverIndex)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(receiverIndex, (uint)_shares.Length);
        return new SecretKeyShare(receiverIndex, _shares[receiverIndex]);
    }

    /// <summary>
    /// Deals a fresh threshold key: a random polynomial of <paramref name="threshold"/> coefficients from the seed
    /// (at least 32 bytes of randomness), committed in G2, evaluated at x = 1..n.
    /// </summary>
    public static Dealing Create(uint dealerIndex, int threshold, int receivers, ReadOnlySpan<byte> seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(receivers, threshold);
        using Polynomial polynomial = Polynomial.Random(threshold, seed);
        return FromPolynomial(dealerIndex, polynomial, receivers);
    }

    /// <summary>Deals shares of an existing polynomial (for resharing, or tests).</summary>
    public static Dealing FromPolynomial(uint dealerIndex, Polynomial polynomial, int receivers)
    {
        ArgumentNullException.ThrowIfNull(polynomial);
        var shares = new Fr[receivers];
        for (int j = 0; j < receivers; j++)
        {
            shares[j] = polynomial.Evaluate(NodeIndex.ToX((uint)j));
        }

        return new Dealing(dealerIndex, polynomial.Commit(), shares);
    }

    /// <summary>
    /// Replaces receiver <paramref name="receiverIndex"/>'s share with another value: what a cheating dealer does.
    /// Exposed so that tests and the fault simulator can produce dealings that fail verification.
    /// </summary>
    public Dealing WithCorruptedShare(uint receiverIndex, in Fr value)
    {
        Fr[] shares = [.. _shares];
        shares[receiverIndex] = value;
        return new Dealing(DealerIndex, Commitments, shares);
    }

    /// <summary>Whether receiver <paramref name="receiverIndex"/>'s share passes the Feldman check.</summary>
    public bool VerifyShareFor(uint receiverIndex) =>
        receiverIndex < _shares.Length && Commitments.IsShareConsistent(receiverIndex, _shares[receiverIndex]);
}
