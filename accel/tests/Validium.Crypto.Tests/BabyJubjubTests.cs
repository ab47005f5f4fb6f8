using System.Numerics;
using CsCheck;

namespace Validium.Crypto.Tests;

public class BabyJubjubTests
{
    public static TheoryData<int> PackVectors => CircomlibVectors.Indices("packPoint");
    public static TheoryData<int> UnpackVectors => CircomlibVectors.Indices("unpackPoint");

    private static readonly Gen<BigInteger> GenScalar = Gen.ULong.Array[4].Select(l =>
        new BigInteger(l.SelectMany(BitConverter.GetBytes).ToArray(), isUnsigned: true) % BabyJubjub.SubgroupOrder);

    private static readonly Gen<BabyJubjubPoint> GenSubgroupPoint = GenScalar.Select(BabyJubjub.MultiplyBase8);

    [Fact]
    public void Addition_law_is_complete_because_a_is_square_and_d_is_not()
    {
        Assert.Equal(1, BabyJubjub.A.Legendre());
        Assert.Equal(-1, BabyJubjub.D.Legendre());
    }

    [Fact]
    public void Base8_is_eight_times_the_generator_and_generates_the_prime_subgroup()
    {
        Assert.True(BabyJubjub.Generator.IsOnCurve);
        Assert.Equal(BabyJubjub.Base8, BabyJubjub.Multiply(BabyJubjub.Generator, 8));
        Assert.True(BabyJubjub.IsInSubgroup(BabyJubjub.Base8));
        Assert.False(BabyJubjub.IsInSubgroup(BabyJubjub.Generator));
        Assert.True(BabyJubjub.MultiplyBase8(BabyJubjub.SubgroupOrder).IsIdentity);
        Assert.True(BabyJubjub.Multiply(BabyJubjub.Generator, BabyJubjub.Order).IsIdentity);
    }

    [Fact]
    public void Low_order_points_are_on_the_curve_but_not_in_the_subgroup()
    {
        var minusOne = new BabyJubjubPoint(Fr.Zero, -Fr.One);
        Assert.True(minusOne.IsOnCurve);
        Assert.False(BabyJubjub.IsInSubgroup(minusOne));
        Assert.True(BabyJubjub.Add(minusOne, minusOne).IsIdentity);
    }

    [Theory]
    [MemberData(nameof(PackVectors))]
    public void Pack_and_unpack_match_circomlibjs(int index)
    {
        var v = CircomlibVectors.Item("packPoint", index);
        var p = new BabyJubjubPoint(v.Fr("x"), v.Fr("y"));
        Assert.True(p.IsOnCurve);
        Assert.Equal(v.Hex("packed"), BabyJubjub.Pack(p));
        AssertUnpacks(v.Hex("packed"), v.GetProperty("unpacked"));
    }

    [Theory]
    [MemberData(nameof(UnpackVectors))]
    public void Unpacking_arbitrary_encodings_matches_circomlibjs(int index)
    {
        var v = CircomlibVectors.Item("unpackPoint", index);
        AssertUnpacks(v.Hex("packed"), v.GetProperty("point"));
    }

    private static void AssertUnpacks(byte[] packed, System.Text.Json.JsonElement expected)
    {
        bool ok = BabyJubjub.TryUnpack(packed, out var p);
        if (expected.ValueKind == System.Text.Json.JsonValueKind.Null)
        {
            Assert.False(ok);
            return;
        }
        Assert.True(ok);
        Assert.Equal(new BabyJubjubPoint(expected.Fr("x"), expected.Fr("y")), p);
    }

    [Fact]
    public void Unpack_rejects_a_non_canonical_y_and_wrong_lengths()
    {
        var packed = BabyJubjub.Pack(BabyJubjub.Base8);
        var y = BabyJubjub.Base8.Y.ToBigInteger() + Fr.Modulus;
        Assert.True(y.GetBitLength() <= 255);
        var aliased = new byte[32];
        y.TryWriteBytes(aliased, out _, isUnsigned: true);
        aliased[31] |= (byte)(packed[31] & 0x80);
        Assert.False(BabyJubjub.TryUnpack(aliased, out _));
        Assert.False(BabyJubjub.TryUnpack(packed.AsSpan(0, 31), out _));
        Assert.Throws<FormatException>(() => BabyJubjub.Unpack(new byte[33]));
    }

    [Fact]
    public void Pack_round_trips_for_subgroup_points()
    {
        GenSubgroupPoint.Where(p => !p.IsIdentity).Sample(p => BabyJubjub.Unpack(BabyJubjub.Pack(p)) == p, iter: 40);
    }

    [Fact]
    public void Addition_is_a_commutative_group_law()
    {
        Gen.Select(GenSubgroupPoint, GenSubgroupPoint, GenSubgroupPoint).Sample((p, q, r) =>
        {
            Assert.Equal(BabyJubjub.Add(p, q), BabyJubjub.Add(q, p));
            Assert.Equal(BabyJubjub.Add(BabyJubjub.Add(p, q), r), BabyJubjub.Add(p, BabyJubjub.Add(q, r)));
            Assert.Equal(p, BabyJubjub.Add(p, BabyJubjubPoint.Identity));
            Assert.True(BabyJubjub.Add(p, BabyJubjub.Negate(p)).IsIdentity);
            Assert.True(BabyJubjub.IsOnCurve(BabyJubjub.Add(p, q)));
        }, iter: 20);
    }

    [Fact]
    public void Doubling_equals_adding_a_point_to_itself()
    {
        GenSubgroupPoint.Sample(p =>
        {
            var e = ExtendedPoint.FromAffine(p);
            Assert.Equal(ExtendedPoint.Add(e, e).ToAffine(), e.Double().ToAffine());
        }, iter: 30);
    }

    [Fact]
    public void Scalar_multiplication_distributes_over_scalar_addition()
    {
        Gen.Select(GenScalar, GenScalar).Sample((a, b) =>
            BabyJubjub.MultiplyBase8(a + b) == BabyJubjub.Add(BabyJubjub.MultiplyBase8(a), BabyJubjub.MultiplyBase8(b)), iter: 20);
    }

    [Fact]
    public void Scalar_multiplication_matches_double_and_add()
    {
        GenScalar.Sample(k =>
        {
            var expected = BabyJubjubPoint.Identity;
            var addend = BabyJubjub.Generator;
            for (var rem = k; !rem.IsZero; rem >>= 1)
            {
                if (!rem.IsEven) expected = BabyJubjub.Add(expected, addend);
                addend = BabyJubjub.Add(addend, addend);
            }
            Assert.Equal(expected, BabyJubjub.Multiply(BabyJubjub.Generator, k));
        }, iter: 10);
    }

    [Fact]
    public void Negative_and_oversized_scalars_wrap_modulo_the_group_order()
    {
        Assert.Equal(BabyJubjub.Negate(BabyJubjub.Base8), BabyJubjub.MultiplyBase8(-1));
        Assert.Equal(BabyJubjub.MultiplyBase8(5), BabyJubjub.MultiplyBase8(5 + 3 * BabyJubjub.Order));
    }

    [Fact]
    public void Operations_reject_points_off_the_curve()
    {
        var off = new BabyJubjubPoint(BabyJubjub.Base8.X, BabyJubjub.Base8.Y + Fr.One);
        Assert.False(off.IsOnCurve);
        Assert.False(BabyJubjub.IsInSubgroup(off));
        Assert.Throws<ArgumentException>(() => BabyJubjub.Add(off, BabyJubjub.Base8));
        Assert.Throws<ArgumentException>(() => BabyJubjub.Multiply(off, 3));
    }
}
