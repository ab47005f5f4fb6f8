using System.Numerics;
using CsCheck;
using Validium.Crypto;
using Validium.Proving.Circuit;
using Validium.Proving.Gadgets;
using static Validium.Proving.Tests.TestCircuit;

namespace Validium.Proving.Tests;

public class FixedPointTests
{
    private const int Decimals = 8, Bits = 64;
    private static readonly BigInteger Scale = 100_000_000;
    private static readonly BigInteger Half = BigInteger.One << (Bits - 1);

    /// <summary>The field element for a signed integer, written out here rather than taken from the gadget.</summary>
    private static Fr Field(BigInteger n) => Fr.FromBigInteger(n < 0 ? Fr.Modulus + n : n);

    private static BigInteger FloorDiv(BigInteger a, BigInteger b)
    {
        var q = a / b;
        return (a % b).Sign < 0 ? q - 1 : q;
    }

    private static readonly TestCircuit Arithmetic = new(api =>
    {
        var fp = new FixedPoint(api, Decimals, Bits);
        var a = fp.AssertInRange(api.PrivateInput("a"));
        var b = fp.AssertInRange(api.PrivateInput("b"));
        api.Output("sum", fp.Add(a, b));
        api.Output("diff", fp.Sub(a, b));
        api.Output("product", fp.Mul(a, b));
    });

    private static Dictionary<string, Fr> AB(BigInteger a, BigInteger b) => Inputs(("a", Field(a)), ("b", Field(b)));

    // Magnitudes around 2^31 keep products of two in range (2^62 / 10^8 < 2^63) while exercising the rescale.
    private static readonly Gen<BigInteger> Values = Gen.Long[-(1L << 31), 1L << 31].Select(v => (BigInteger)v);

    [Fact]
    public void ArithmeticMatchesIntegerArithmetic()
    {
        Gen.Select(Values, Values).Sample((a, b) =>
        {
            var s = Arithmetic.SolveSatisfied(AB(a, b));
            Assert.Equal(Field(a + b), s["sum"]);
            Assert.Equal(Field(a - b), s["diff"]);
            Assert.Equal(Field(FloorDiv(a * b, Scale)), s["product"]);
        }, iter: 30);
    }

    [Fact]
    public void PricesTimesSizes()
    {
        // 1234.5 × −0.002 = −2.469; −1.5 × 0.00000001 = −0.000000015, floored to −0.00000002.
        var s = Arithmetic.SolveSatisfied(AB(123_450_000_000, -200_000));
        Assert.Equal(Field(-246_900_000), s["product"]);
        Assert.Equal(-246_900_000, FixedPoint.Decode(s["product"]));
        s = Arithmetic.SolveSatisfied(AB(-150_000_000, 1));
        Assert.Equal(Field(-2), s["product"]);
        Assert.Equal(Field(5), FixedPoint.Encode(5));
    }

    [Fact]
    public void OverflowAndOutOfRangeValuesAreRejected()
    {
        Assert.StartsWith("fixed/range: assert equal", Arithmetic.SolveUnsatisfied(AB(Half, 0)));
        Assert.StartsWith("fixed/range: assert equal", Arithmetic.SolveUnsatisfied(AB(-Half - 1, 0)));
        Arithmetic.SolveSatisfied(AB(Half - 1, 0));
        Arithmetic.SolveSatisfied(AB(-Half, 0));
        // Sum and product both leave the range.
        Assert.StartsWith("fixed/range: assert equal", Arithmetic.SolveUnsatisfied(AB(Half - 1, Half - 1)));
        var big = Half / 2;
        var square = new TestCircuit(api =>
        {
            var fp = new FixedPoint(api, Decimals, Bits);
            var a = fp.AssertInRange(api.PrivateInput("a"));
            api.Output("square", fp.Mul(a, a));
        });
        square.SolveSatisfied(Inputs(("a", Field(1L << 36))));
        Assert.StartsWith("fixed/range: assert equal", square.SolveUnsatisfied(Inputs(("a", Field(big)))));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TestCircuit(api => new FixedPoint(api, 8, 128)).Compile());
    }

    [Fact]
    public void CheatingRescaleHintsAreCaught()
    {
        var inputs = AB(300_000_000, 250_000_000);
        // The multiplication's equalities in order: a·b = q·10^k + r, r's bit recomposition, then 10^k − 1 − r's.
        string[] equalities = [.. Arithmetic.Compile().R1cs.Constraints.Select(c => c.Label).Where(l => l.StartsWith("fixed/mul: assert equal", StringComparison.Ordinal)).Distinct()];
        Assert.Equal(3, equalities.Length);
        Assert.Equal(equalities[0], Arithmetic.SolveUnsatisfied(inputs, TamperNth("fixed rescale", 0, o => o[0] += Fr.One)));
        // Same a·b = q·10^k + r with r = 10^k (the true remainder is 0): r fits 27 bits, so only the bound r < 10^k rejects it.
        Assert.Equal(equalities[2], Arithmetic.SolveUnsatisfied(inputs, TamperNth("fixed rescale", 0, o => { o[0] -= Fr.One; o[1] += Field(Scale); })));
        // r = 2·10^k ≥ 2^27 fails the range check itself.
        Assert.Equal(equalities[1], Arithmetic.SolveUnsatisfied(inputs, TamperNth("fixed rescale", 0, o => { o[0] -= Field(2); o[1] += Field(2 * Scale); })));
        var s = Arithmetic.SolveSatisfied(inputs);
        Assert.Equal(Field(750_000_000), s["product"]);
        CircuitApiTests.AssertEveryWirePinned(s);
    }

    [Fact]
    public void SignedComparison()
    {
        var c = new TestCircuit(api =>
        {
            var fp = new FixedPoint(api, Decimals, Bits);
            fp.AssertLessOrEqual(fp.AssertInRange(api.PrivateInput("a")), fp.AssertInRange(api.PrivateInput("b")));
        });
        Gen.Select(Values, Values).Sample((a, b) =>
        {
            if (a <= b) c.SolveSatisfied(AB(a, b));
            else Assert.StartsWith("fixed/compare: assert equal", c.SolveUnsatisfied(AB(a, b)));
        }, iter: 30);
        c.SolveSatisfied(AB(-Half, Half - 1));
        c.SolveUnsatisfied(AB(Half - 1, -Half));
    }
}
