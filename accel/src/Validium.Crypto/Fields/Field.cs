using System.Numerics;

namespace Validium.Crypto;

/// <summary>Algorithms written once for every <see cref="IField{T}"/>: Fp, Fr and the towers over them.</summary>
public static class Field
{
    /// <summary>Inverts every element in place with one field inversion (Montgomery's trick); zeros stay zero.</summary>
    public static void BatchInverse<T>(Span<T> values) where T : struct, IField<T> => BatchInverse(values, vartime: false);

    /// <summary><see cref="BatchInverse{T}(Span{T})"/> with the variable-time inversion.</summary>
    public static void BatchInverseVartime<T>(Span<T> values) where T : struct, IField<T> => BatchInverse(values, vartime: true);

    private static void BatchInverse<T>(Span<T> values, bool vartime) where T : struct, IField<T>
    {
        if (values.Length == 0) return;
        var prefix = values.Length <= 128 ? new T[values.Length] : GC.AllocateUninitializedArray<T>(values.Length);
        var acc = T.One;
        for (int i = 0; i < values.Length; i++)
        {
            prefix[i] = acc;
            if (!values[i].IsZero) acc *= values[i];
        }
        var inv = vartime ? acc.InverseVartime() : acc.Inverse();
        for (int i = values.Length - 1; i >= 0; i--)
        {
            if (values[i].IsZero) continue;
            var v = values[i];
            values[i] = inv * prefix[i];
            inv *= v;
        }
    }

    /// <summary>x^e by left-to-right square-and-multiply; the exponent is public (its bits steer the loop).</summary>
    public static T Pow<T>(T x, BigInteger exponent) where T : struct, IField<T>
    {
        if (exponent.Sign < 0) return Pow(x.Inverse(), -exponent);
        var acc = T.One;
        for (long i = (long)exponent.GetBitLength() - 1; i >= 0; i--)
        {
            acc = acc.Square();
            if (!(exponent >> (int)i).IsEven) acc *= x;
        }
        return acc;
    }
}
