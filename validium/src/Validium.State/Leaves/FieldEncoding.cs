using Validium.Crypto;

namespace Validium.State;

/// <summary>
/// How integers enter the field. Unsigned values are themselves. A signed value n is n when n ≥ 0 and
/// p − |n| when n &lt; 0, the encoding the circuit's <c>FixedPoint</c> gadget uses, so a range check on
/// n + 2^63 over 64 bits in the circuit accepts exactly the values a <see cref="long"/> holds.
/// </summary>
public static class FieldEncoding
{
    public static Fr Unsigned(ulong n) => Fr.FromUInt64(n);

    public static Fr Signed(long n) =>
        n >= 0 ? Fr.FromUInt64((ulong)n) : -Fr.FromUInt64((ulong)(-(n + 1)) + 1);

    /// <summary>The long a field element encodes; throws when it is outside [−2^63, 2^63).</summary>
    public static long ToSigned(Fr v)
    {
        var n = v.ToBigInteger();
        if (n > Fr.Modulus / 2) n -= Fr.Modulus;
        return n >= long.MinValue && n <= long.MaxValue ? (long)n : throw new OverflowException($"{v} does not encode a 64-bit signed integer");
    }
}
