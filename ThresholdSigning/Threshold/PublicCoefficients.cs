using System.Diagnostics.CodeAnalysis;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Threshold;

/// <summary>
/// The public coefficients C_k = [c_k]G2 of a secret polynomial (Feldman commitments). C_0 is the combined public
/// key; evaluating at x_i gives node i's individual public key.
/// </summary>
public sealed class PublicCoefficients : IEquatable<PublicCoefficients>
{
    private readonly G2Affine[] _points;

    /// <summary>Creates public coefficients from points (constant term first); none may be the identity.</summary>
    public PublicCoefficients(IReadOnlyList<G2Affine> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            throw new ArgumentException("Public coefficients need at least one point.", nameof(points));
        }

        _points = [.. points];
    }

    internal static PublicCoefficients Commit(ReadOnlySpan<Fr> coefficients)
    {
        var points = new G2Affine[coefficients.Length];
        for (int i = 0; i < coefficients.Length; i++)
        {
            points[i] = G2Projective.Generator.Multiply(coefficients[i]).ToAffine();
        }

        return new PublicCoefficients(points);
    }

    /// <summary>The threshold: the number of coefficients.</summary>
    public int Threshold => _points.Length;

    /// <summary>The points, constant term first.</summary>
    public IReadOnlyList<G2Affine> Points => _points;

    /// <summary>The combined public key C_0.</summary>
    public G2Affine CombinedPublicKey => _points[0];

    /// <summary>Evaluates Σ C_k x^k at x in G2 (Horner).</summary>
    public G2Projective Evaluate(in Fr x)
    {
        Span<ulong> words = stackalloc ulong[4];
        x.GetCanonicalWords(words);
        G2Projective acc = G2Projective.Identity;
        for (int i = _points.Length - 1; i >= 0; i--)
        {
            acc = acc.MultiplyVartime(words) + _points[i];
        }

        return acc;
    }

    /// <summary>The public key of node <paramref name="nodeIndex"/>: the commitments evaluated at x = index + 1.</summary>
    public G2Affine IndividualPublicKey(uint nodeIndex) => Evaluate(NodeIndex.ToX(nodeIndex)).ToAffineVartime();

    /// <summary>The Feldman check: [share]G2 == Σ C_k x_i^k.</summary>
    public bool IsShareConsistent(uint nodeIndex, in Fr share) =>
        G2Projective.Generator.MultiplyVartime(share).Equals(Evaluate(NodeIndex.ToX(nodeIndex)));

    /// <summary>Coefficient-wise sum, used to combine joint-Feldman dealings.</summary>
    public static PublicCoefficients Sum(IReadOnlyList<PublicCoefficients> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("Nothing to sum.", nameof(parts));
        }

        int t = parts[0].Threshold;
        if (parts.Any(p => p.Threshold != t))
        {
            throw new ArgumentException("All public coefficients must have the same threshold.", nameof(parts));
        }

        var sums = new G2Affine[t];
        for (int k = 0; k < t; k++)
        {
            G2Projective acc = G2Projective.Identity;
            foreach (PublicCoefficients p in parts)
            {
                acc += p._points[k];
            }

            sums[k] = acc.ToAffineVartime();
        }

        return new PublicCoefficients(sums);
    }

    /// <summary>The encoding: the compressed points concatenated (96 bytes each).</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[_points.Length * G2Affine.CompressedLength];
        for (int i = 0; i < _points.Length; i++)
        {
            _points[i].ToCompressed().CopyTo(bytes, i * G2Affine.CompressedLength);
        }

        return bytes;
    }

    /// <summary>Decodes concatenated compressed G2 points; each must be valid and in G2.</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out PublicCoefficients? coefficients, [NotNullWhen(false)] out string? error)
    {
        coefficients = null;
        if (bytes.Length == 0 || bytes.Length % G2Affine.CompressedLength != 0)
        {
            error = $"public coefficients are a non-empty multiple of {G2Affine.CompressedLength} bytes, not {bytes.Length}";
            return false;
        }

        var points = new G2Affine[bytes.Length / G2Affine.CompressedLength];
        for (int i = 0; i < points.Length; i++)
        {
            if (!G2Affine.TryFromCompressed(bytes.Slice(i * G2Affine.CompressedLength, G2Affine.CompressedLength), out points[i], out string? e))
            {
                error = $"coefficient {i}: {e}";
                return false;
            }
        }

        coefficients = new PublicCoefficients(points);
        error = null;
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(PublicCoefficients? other) => other is not null && _points.AsSpan().SequenceEqual(other._points);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PublicCoefficients);

    /// <inheritdoc/>
    public override int GetHashCode() => _points[0].GetHashCode();
}
