using System.Numerics;
using CsCheck;
using Validium.Crypto;
using Validium.Proving.Gadgets;
using static Validium.Proving.Tests.CircuitApiTests;
using static Validium.Proving.Tests.TestCircuit;

namespace Validium.Proving.Tests;

/// <summary>
/// The in-circuit curve arithmetic against Validium.Crypto's (itself checked against circomlibjs), on the scalars and
/// points where incomplete formulas would break: zero, small and all-ones scalars, multiples of l and their
/// neighbours, the largest field element; every solution must also pin every wire, so no slope is left to the prover.
/// </summary>
public class BabyJubjubGadgetTests
{
    private static readonly BigInteger L = BabyJubjub.SubgroupOrder;
    private static readonly BigInteger P = Fr.Modulus;

    private static TestCircuit VariableBase(int bits) => new(api =>
    {
        using var _ = api.Scope("mul");
        var r = BabyJubjubGadget.Multiply(api, api.ToBits(api.PrivateInput("k"), bits), new(api.PrivateInput("px"), api.PrivateInput("py")));
        api.Output("rx", r.X);
        api.Output("ry", r.Y);
    });

    private static TestCircuit Fixed(int bits, BabyJubjubPoint basePoint) => new(api =>
    {
        var r = BabyJubjubGadget.MultiplyFixed(api, api.ToBits(api.PrivateInput("k"), bits), basePoint);
        api.Output("rx", r.X);
        api.Output("ry", r.Y);
    });

    private static readonly TestCircuit Variable254 = VariableBase(254);

    private static BabyJubjubPoint Solved(TestCircuit c, BigInteger k, BabyJubjubPoint p, bool checkPinned = true)
    {
        var s = c.SolveSatisfied(Inputs(("k", Fr.FromBigInteger(k)), ("px", p.X), ("py", p.Y)));
        if (checkPinned) AssertEveryWirePinned(s);
        return new(s["rx"], s["ry"]);
    }

    private static BabyJubjubPoint RandomSubgroupPoint(Random rng) =>
        BabyJubjub.MultiplyBase8(Fr.Random(rng).ToBigInteger() % (L - 1) + 1);

    public static TheoryData<string> EdgeScalars() =>
    [
        "0", "1", "2", "3", "4", "5", "7", "8",
        (L - 2).ToString(), (L - 1).ToString(), L.ToString(), (L + 1).ToString(), (2 * L - 1).ToString(), (2 * L).ToString(), (2 * L + 1).ToString(),
        (7 * L).ToString(), (7 * L + 1).ToString(), (P - 1).ToString(), (P - 2).ToString(), (P - L).ToString(),
        (BigInteger.Pow(2, 250) - 1).ToString(), BigInteger.Pow(2, 252).ToString(), (BigInteger.Pow(2, 253) - 1).ToString(), BigInteger.Pow(2, 253).ToString(),
    ];

    [Theory]
    [MemberData(nameof(EdgeScalars))]
    public void VariableBaseAgreesOnEdgeScalars(string scalar)
    {
        var k = BigInteger.Parse(scalar);
        var p = RandomSubgroupPoint(new Random(scalar.GetHashCode()));
        Assert.Equal(BabyJubjub.Multiply(p, k), Solved(Variable254, k, p));
        Assert.Equal(BabyJubjub.Multiply(BabyJubjub.Base8, k), Solved(Variable254, k, BabyJubjub.Base8, checkPinned: false));
    }

    [Fact]
    public void VariableBaseAgreesOnRandomScalarsAndPoints() =>
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            var k = Fr.Random(rng).ToBigInteger();
            var p = RandomSubgroupPoint(rng);
            Assert.Equal(BabyJubjub.Multiply(p, k), Solved(Variable254, k, p, checkPinned: false));
        }, iter: 4);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void VariableBaseAgreesOnEveryShortScalar(int bits)
    {
        var c = VariableBase(bits);
        var p = RandomSubgroupPoint(new Random(bits));
        for (int k = 0; k < 1 << bits; k++) Assert.Equal(BabyJubjub.Multiply(p, k), Solved(c, k, p));
    }

    [Fact]
    public void VariableBaseRejectsTheIdentityAndAnyTamperedQuotient()
    {
        Assert.StartsWith("mul: inverse at BabyJubjubGadget.cs:", Variable254.SolveUnsatisfied(Inputs(("k", 5), ("px", 0), ("py", 1))));
        var p = RandomSubgroupPoint(new Random(1));
        var inputs = Inputs(("k", Fr.FromBigInteger(L - 1)), ("px", p.X), ("py", p.Y));
        // Quotients: p's u, three torsion shifts, the start, two slopes per digit (253 digits), the last addition, x and y.
        foreach (int n in new[] { 0, 3, 4, 5, 6, 257, 510, 511, 512, 513 })
        {
            string label = Variable254.SolveUnsatisfied(inputs, TamperNth("divide", n, o => o[0] += Fr.One));
            Assert.Matches(@"^mul: divide at MontgomeryForm\.cs:\d+ \((FromEdwards|ToEdwards|Add|DoubleAdd)\)$", label);
        }
        Assert.Throws<ArgumentException>(() => VariableBase(1).Compile());
    }

    public static TheoryData<int> FixedLengths() => [1, 2, 3, 4, 7];

    [Theory]
    [MemberData(nameof(FixedLengths))]
    public void FixedBaseAgreesOnEveryShortScalar(int bits)
    {
        var basePoint = BabyJubjub.MultiplyBase8(5);
        var c = Fixed(bits, basePoint);
        for (int k = 0; k < 1 << bits; k++) Assert.Equal(BabyJubjub.Multiply(basePoint, k), Solved(c, k, default));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("2")]
    [InlineData("123456789")]
    [InlineData("2736030358979909402780800718157159386076813972158567259200215660948447373040")]
    [InlineData("1809251394333065553493296640760748560207343510400633813116524750123642650624")]
    [InlineData("3618502788666131106986593281521497120414687020801267626233049500247285301247")]
    public void FixedBaseAgreesUpToItsLargestScalar(string scalar)
    {
        // l − 1, 2^250 and 2^251 − 1: the offsets keep every Montgomery sum below l whatever the bits.
        var k = BigInteger.Parse(scalar);
        Assert.Equal(BabyJubjub.MultiplyBase8(k), Solved(Fixed(BabyJubjubGadget.MaxFixedBits, BabyJubjub.Base8), k, default));
    }

    [Fact]
    public void FixedBaseRefusesBasesOutsideTheSubgroupAndTooManyBits()
    {
        Assert.Throws<ArgumentException>(() => Fixed(8, BabyJubjub.Generator).Compile());
        Assert.Throws<ArgumentException>(() => Fixed(8, BabyJubjubPoint.Identity).Compile());
        Assert.Throws<ArgumentOutOfRangeException>(() => Fixed(BabyJubjubGadget.MaxFixedBits + 1, BabyJubjub.Base8).Compile());
    }

    [Fact]
    public void DoublingAndTheCurveCheckCoverSmallOrderPoints()
    {
        var dbl = new TestCircuit(api =>
        {
            var p = new PointVariable(api.PrivateInput("px"), api.PrivateInput("py"));
            BabyJubjubGadget.AssertOnCurve(api, p);
            var r = BabyJubjubGadget.Double(api, p);
            api.Output("rx", r.X);
            api.Output("ry", r.Y);
        });
        var torsion = BabyJubjub.Multiply(BabyJubjub.Generator, L);
        var points = Enumerable.Range(0, 8).Select(i => BabyJubjub.Multiply(torsion, i))
            .Concat([BabyJubjub.Generator, BabyJubjub.Base8, BabyJubjub.Multiply(BabyJubjub.Generator, 12345)]);
        foreach (var p in points)
        {
            var s = dbl.SolveSatisfied(Inputs(("px", p.X), ("py", p.Y)));
            AssertEveryWirePinned(s);
            Assert.Equal(BabyJubjub.Add(p, p), new BabyJubjubPoint(s["rx"], s["ry"]));
        }
        Assert.Contains("assert product", dbl.SolveUnsatisfied(Inputs(("px", BabyJubjub.Base8.X), ("py", BabyJubjub.Base8.Y + Fr.One))));
    }

    [Fact]
    public void MontgomeryFormMapsTheCurveOntoItsMontgomeryCurve()
    {
        Assert.Equal((Fr)168698, MontgomeryForm.A);
        // B = 4/(a − d) is 1, which the formulas assume by leaving it out.
        Assert.Equal(Fr.One, (Fr)4 / (BabyJubjub.A - BabyJubjub.D));
        var t = MontgomeryForm.Torsion;
        Assert.False(BabyJubjub.Multiply(t, 4).IsIdentity);
        Assert.True(BabyJubjub.Multiply(t, 8).IsIdentity);
        Assert.Equal(Fr.Zero, MontgomeryForm.TorsionTimes(2).Y);
        foreach (var p in Enumerable.Range(1, 7).Select(MontgomeryForm.TorsionTimes).Append(BabyJubjub.Base8).Append(BabyJubjub.Generator))
        {
            var m = MontgomeryForm.Constant(p);
            Fr u = m.U.ConstantValue, v = m.V.ConstantValue;
            Assert.Equal(u * u * u + MontgomeryForm.A * u * u + u, v * v);
        }
        Assert.Throws<ArgumentException>(() => MontgomeryForm.Constant(BabyJubjubPoint.Identity));
    }
}
