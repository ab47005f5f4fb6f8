namespace Validium.Crypto;

/// <summary>An affine point (X, Y) on BabyJubjub; not necessarily on the curve until checked.</summary>
public readonly record struct BabyJubjubPoint(Fr X, Fr Y)
{
    /// <summary>The neutral element (0, 1).</summary>
    public static BabyJubjubPoint Identity => new(Fr.Zero, Fr.One);

    public bool IsIdentity => X.IsZero && Y.IsOne;

    public bool IsOnCurve => BabyJubjub.IsOnCurve(this);

    public override string ToString() => $"({X}, {Y})";
}
