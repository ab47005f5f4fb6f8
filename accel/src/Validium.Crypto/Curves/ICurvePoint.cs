namespace Validium.Crypto;

/// <summary>An affine point; the point at infinity is the all-zero value (the EVM's convention).</summary>
public interface IAffinePoint<TA> : IEquatable<TA> where TA : struct, IAffinePoint<TA>
{
    bool IsInfinity { get; }
    TA Negate();
    bool IsOnCurve();
}

/// <summary>Coordinate access for code that runs the affine formulas itself (batch-affine Pippenger).</summary>
public interface IAffineCoordinates<TA, TF>
    where TA : struct, IAffineCoordinates<TA, TF>
    where TF : struct, IField<TF>
{
    TF X { get; }
    TF Y { get; }
    static abstract TA FromCoordinates(TF x, TF y);
}

/// <summary>
/// A projective point in Jacobian coordinates. MSM and conformance code is generic over this
/// interface so G1 and G2 share one Pippenger.
/// </summary>
public interface IJacobianPoint<TJ, TA> : IEquatable<TJ>
    where TJ : struct, IJacobianPoint<TJ, TA>
    where TA : struct, IAffinePoint<TA>
{
    static abstract TJ Infinity { get; }
    static abstract TJ FromAffine(in TA a);
    static abstract void BatchToAffine(ReadOnlySpan<TJ> src, Span<TA> dst);
    bool IsInfinity { get; }
    TJ Double();
    TJ Add(in TJ other);
    TJ AddMixed(in TA other);
    TJ Negate();
    TA ToAffine();
}

/// <summary>A point with BN254's GLV endomorphism, which acts as multiplication by <see cref="Glv.Lambda"/>.</summary>
public interface IGlvEndomorphism<TA> where TA : struct, IGlvEndomorphism<TA>
{
    TA Endomorphism();
}
