namespace InternetIdentity.ThresholdSigning.Fields;

/// <summary>The field operations curve arithmetic needs, so that one implementation serves G1 (F_p) and G2 (F_p2).</summary>
internal interface IField<T> where T : struct, IField<T>
{
    static abstract T Zero { get; }
    static abstract T One { get; }
    static abstract T Add(in T a, in T b);
    static abstract T Sub(in T a, in T b);
    static abstract T Mul(in T a, in T b);
    static abstract T Sqr(in T a);
    static abstract T Neg(in T a);
    static abstract T Dbl(in T a);
    static abstract T Inv(in T a);
    static abstract T InvVartime(in T a);
    static abstract T Choose(in T a, in T b, bool choice);
    static abstract bool IsZeroElement(in T a);
    static abstract bool AreEqual(in T a, in T b);
}
