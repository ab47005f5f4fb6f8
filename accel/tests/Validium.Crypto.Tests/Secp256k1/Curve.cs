using System.Numerics;

namespace Validium.Crypto.Tests.Secp256k1;

/// <summary>secp256k1 constants from SEC 2 §2.4.1, written out here so tests do not take them from the code under test.</summary>
internal static class Curve
{
    public static readonly BigInteger N = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);
    public static readonly BigInteger HalfN = N >> 1;
    public static readonly BigInteger P = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", System.Globalization.NumberStyles.HexNumber);
}
