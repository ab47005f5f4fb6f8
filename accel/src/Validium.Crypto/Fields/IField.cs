namespace Validium.Crypto;

/// <summary>
/// What curve and transform code needs from a field, so one implementation of the point formulas,
/// Pippenger and the NTT serves Fp, Fp2 and Fr. Structs only: the JIT specialises every use.
/// </summary>
public interface IField<T> : IEquatable<T> where T : struct, IField<T>
{
    static abstract T Zero { get; }
    static abstract T One { get; }
    bool IsZero { get; }
    T Square();
    T Double();
    T Inverse();

    /// <summary>The inverse in time that may depend on the value (see <see cref="VartimeInverse{TP}"/>); throws for zero.</summary>
    T InverseVartime();
    static abstract void BatchInverse(Span<T> values);
    static abstract T operator +(T a, T b);
    static abstract T operator -(T a, T b);
    static abstract T operator -(T a);
    static abstract T operator *(T a, T b);
    static abstract bool operator ==(T a, T b);
    static abstract bool operator !=(T a, T b);
}
