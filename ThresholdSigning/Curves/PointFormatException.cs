namespace InternetIdentity.ThresholdSigning.Curves;

/// <summary>Thrown when bytes are not a valid ZCash-format encoding of a point of the expected group.</summary>
public sealed class PointFormatException : FormatException
{
    /// <summary>Creates the exception with the reason the encoding was rejected.</summary>
    public PointFormatException(string message)
        : base(message)
    {
    }
}
