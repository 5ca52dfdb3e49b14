using System.Security.Cryptography;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Threshold;

/// <summary>A secret polynomial over F_r of degree t-1; its constant term is the shared secret. Dispose to wipe it.</summary>
public sealed class Polynomial : IDisposable
{
    private readonly Fr[] _coefficients;

    /// <summary>Creates a polynomial from its coefficients, constant term first.</summary>
    public Polynomial(IReadOnlyList<Fr> coefficients)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        if (coefficients.Count == 0)
        {
            throw new ArgumentException("A polynomial needs at least one coefficient.", nameof(coefficients));
        }

        _coefficients = [.. coefficients];
    }

    /// <summary>A random polynomial with <paramref name="threshold"/> coefficients derived from a seed of at least 32 bytes.</summary>
    public static Polynomial Random(int threshold, ReadOnlySpan<byte> seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        using var expander = new ScalarExpander(seed, "ic-threshold-polynomial"u8);
        var coefficients = new Fr[threshold];
        for (int i = 0; i < threshold; i++)
        {
            coefficients[i] = expander.Next();
        }

        var polynomial = new Polynomial(coefficients);
        Array.Clear(coefficients);
        return polynomial;
    }

    /// <summary>The number of coefficients, which is the threshold.</summary>
    public int Threshold => _coefficients.Length;

    /// <summary>The constant term (the shared secret).</summary>
    public Fr ConstantTerm => _coefficients[0];

    /// <summary>Evaluates at x with Horner's rule.</summary>
    public Fr Evaluate(in Fr x)
    {
        Fr acc = Fr.Zero;
        for (int i = _coefficients.Length - 1; i >= 0; i--)
        {
            acc = acc * x + _coefficients[i];
        }

        return acc;
    }

    /// <summary>The public coefficients [c_k]G2 (the Feldman commitments).</summary>
    public PublicCoefficients Commit() => PublicCoefficients.Commit(_coefficients);

    /// <summary>Wipes the coefficients.</summary>
    public void Dispose() =>
        CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_coefficients.AsSpan()));
}
