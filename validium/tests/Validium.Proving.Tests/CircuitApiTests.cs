using System.Numerics;
using CsCheck;
using Validium.Crypto;
using Validium.Proving.Circuit;
using static Validium.Proving.Tests.TestCircuit;

namespace Validium.Proving.Tests;

public class CircuitApiTests
{
    /// <summary>Every wire but the constant must be pinned: changing any one value breaks some constraint.</summary>
    internal static void AssertEveryWirePinned(Solution s)
    {
        Assert.Null(s.Circuit.Check(s.Witness));
        // A changed wire can only break the constraints that mention it; checking just those keeps this linear.
        var touching = new List<Constraint>[s.Witness.Length];
        foreach (var c in s.Circuit.R1cs.Constraints)
            foreach (int w in c.A.Concat(c.B).Concat(c.C).Select(t => t.Wire).Distinct())
                (touching[w] ??= []).Add(c);
        var tampered = (Fr[])s.Witness.Clone();
        for (int w = 1; w < s.Witness.Length; w++)
        {
            tampered[w] += Fr.One;
            Assert.True((touching[w] ?? []).Any(c => R1cs.Evaluate(c.A, tampered) * R1cs.Evaluate(c.B, tampered) != R1cs.Evaluate(c.C, tampered)),
                $"wire {w} of {s.Witness.Length} is unconstrained");
            tampered[w] = s.Witness[w];
        }
    }

    [Fact]
    public void SignalsFollowCircomOrderWhateverTheDeclarationOrder()
    {
        var c = new TestCircuit(api =>
        {
            var x = api.PrivateInput("x");
            var y = api.PublicInput("y");
            var xy = api.Mul(x, y);
            api.Output("sum", api.Add(x, y));
            api.Output("product", xy);
        });
        var compiled = c.Compile();
        Assert.Equal(["one", "sum", "product", "y", "x"], compiled.SignalNames.ToArray());
        Assert.Equal((2, 1, 1), (compiled.R1cs.NumOutputs, compiled.R1cs.NumPublicInputs, compiled.R1cs.NumPrivateInputs));
        // The product wire becomes the output for free; the sum is a combination and costs one equality.
        Assert.Equal(2, compiled.R1cs.Constraints.Count);
        Assert.Equal(5, compiled.R1cs.NumWires);

        var s = c.SolveSatisfied(Inputs(("x", 3), ("y", 5)));
        Assert.Equal([Fr.One, 8, 15, 5, 3], s.Witness);
        Assert.Equal([(Fr)8, 15, 5], s.PublicSignals.ToArray());
        Assert.Equal((Fr)15, s["product"]);
        AssertEveryWirePinned(s);
    }

    [Fact]
    public void LinearOperationsAndConstantsCostNothing()
    {
        var c = new TestCircuit(api =>
        {
            var x = api.PrivateInput("x");
            var lc = api.Sub(api.Add(api.Mul(x, (Fr)3), (Fr)7), x);
            var folded = api.Mul(api.Div((Fr)10, (Fr)5), api.Add((Fr)1, (Fr)1));
            api.AssertEqual(folded, (Fr)4);
            api.AssertBoolean(api.Sub(folded, (Fr)3));
            api.Output("out", api.Mul(lc, folded));
        });
        var s = c.SolveSatisfied(Inputs(("x", 2)));
        Assert.Single(s.Circuit.R1cs.Constraints);
        Assert.Equal((Fr)((2 * 2 + 7) * 4), s["out"]);
        Assert.Throws<InvalidOperationException>(() => new TestCircuit(api => api.AssertEqual((Fr)1, (Fr)2)).Compile());
        Assert.Throws<DivideByZeroException>(() => new TestCircuit(api => api.Inverse(Fr.Zero)).Compile());
    }

    [Fact]
    public void ACombinationUsedByConstraintsInARowIsStoredOnce()
    {
        // Poseidon's S-box: x·x = x², x²·x² = x⁴, x⁴·x = x⁵ with x a three-term combination.
        var c = new TestCircuit(api =>
        {
            var x = api.Add(api.Add(api.PrivateInput("a"), api.Mul(api.PrivateInput("b"), (Fr)5)), (Fr)9);
            var x2 = api.Mul(x, x);
            api.Output("x5", api.Mul(api.Mul(x2, x2), x));
        });
        var r1cs = c.Compile().R1cs;
        Assert.Equal(3, r1cs.ConstraintCount);
        var rows = r1cs.Constraints;
        Assert.Equal(3, rows[0].A.Length);
        Assert.Equal(rows[0].A, rows[0].B);
        Assert.Equal(rows[0].A, rows[2].B);
        Assert.Equal(15, rows.Sum(k => k.A.Length + k.B.Length + k.C.Length));
        // The rows name x three times and x², x⁴ twice each; the pool holds x, x², x⁴ and x⁵ once.
        Assert.Equal(3 + 1 + 1 + 1, r1cs.Pool.TermCount);
        var s = c.SolveSatisfied(Inputs(("a", 2), ("b", 3)));
        Assert.Equal(Fr.FromUInt64(26).Pow(5), s["x5"]);
    }

    [Fact]
    public void MulDivInverseAndTheirFailures()
    {
        var c = new TestCircuit(api =>
        {
            var a = api.PrivateInput("a");
            var b = api.PrivateInput("b");
            api.Output("q", api.Div(a, b));
            api.Output("inv", api.Inverse(a));
            api.Output("k", api.Div((Fr)6, b));
        });
        // Div 2, Inverse 1, constant / b 1 plus the equality that makes the scaled inverse an output.
        Assert.Equal(2 + 1 + 1 + 1, c.Compile().R1cs.Constraints.Count);
        var s = c.SolveSatisfied(Inputs(("a", 12), ("b", 4)));
        Assert.Equal((Fr)3, s["q"]);
        Assert.Equal(((Fr)12).Inverse(), s["inv"]);
        Assert.Equal((Fr)6 * ((Fr)4).Inverse(), s["k"]);
        AssertEveryWirePinned(s);

        var label = c.SolveUnsatisfied(Inputs(("a", 12), ("b", 0)));
        Assert.Contains("inverse at CircuitApiTests.cs:", label);
        Assert.Contains("(MulDivInverseAndTheirFailures)", label);
        c.SolveUnsatisfied(Inputs(("a", 12), ("b", 4)), TamperNth("inverse", 0, o => o[0] += Fr.One));
    }

    [Fact]
    public void BooleansAndNonZero()
    {
        var c = new TestCircuit(api =>
        {
            var b = api.PrivateInput("b");
            api.AssertBoolean(b);
            api.AssertBoolean(b);
            api.AssertNonZero(api.PrivateInput("n"));
        });
        Assert.Equal(2, c.Compile().R1cs.Constraints.Count);
        c.SolveSatisfied(Inputs(("b", 1), ("n", 9)));
        c.SolveSatisfied(Inputs(("b", 0), ("n", 9)));
        Assert.Contains("assert boolean", c.SolveUnsatisfied(Inputs(("b", 2), ("n", 9))));
        Assert.Contains("inverse", c.SolveUnsatisfied(Inputs(("b", 1), ("n", 0))));
    }

    private static TestCircuit Bits(int n) => new(api =>
    {
        var bits = api.ToBits(api.PrivateInput("v"), n);
        for (int i = 0; i < n; i++) api.Output($"b[{i}]", bits[i]);
        api.Output("back", api.FromBits(bits));
    });

    [Fact]
    public void ToBitsCostsAsNum2BitsAndRejectsOutOfRangeValues()
    {
        Assert.Equal(8 + 1 + 1, Bits(8).Compile().R1cs.Constraints.Count);
        var s = Bits(8).SolveSatisfied(Inputs(("v", 0b1011_0010)));
        Assert.Equal([0, 1, 0, 0, 1, 1, 0, 1], Enumerable.Range(0, 8).Select(i => (int)s[$"b[{i}]"].ToCanonical().L0));
        Assert.Equal((Fr)0b1011_0010, s["back"]);
        AssertEveryWirePinned(s);

        Assert.Contains("assert equal", Bits(8).SolveUnsatisfied(Inputs(("v", 256))));
        Assert.Contains("assert equal", Bits(8).SolveUnsatisfied(Inputs(("v", -Fr.One))));
        // A cheating prover's bit 2 (carrying 2·2^1 = 2^2 for bit 2) recomposes but is not a bit.
        Assert.Contains("assert boolean", Bits(8).SolveUnsatisfied(Inputs(("v", 4)), TamperNth("to bits(8)", 0, o => { o[1] = 2; o[2] = 0; })));
        Assert.Contains("assert equal", Bits(8).SolveUnsatisfied(Inputs(("v", 4)), TamperNth("to bits(8)", 0, o => o[0] = 1)));
    }

    [Fact]
    public void StrictBitsSpellEveryFieldElementOnce()
    {
        var c = Bits(254);
        Assert.Equal(254 + 1 + 253 + 1 + 1, c.Compile().R1cs.Constraints.Count);
        var s = c.SolveSatisfied(Inputs(("v", -Fr.One)));
        Assert.Equal(-Fr.One, s["back"]);
        // p − 1 + p < 2^254 spells p − 1 again; the bound check rejects the second spelling.
        var alias = Fr.Modulus - 1 + Fr.Modulus;
        var label = c.SolveUnsatisfied(Inputs(("v", -Fr.One)), TamperNth("to bits(254)", 0, o =>
        {
            for (int i = 0; i < 254; i++) o[i] = (ulong)((alias >> i) & 1);
        }));
        Assert.StartsWith("assert equal at CircuitApiTests.cs:", label);
        Assert.Contains("(Bits)", label);
    }

    [Fact]
    public void BitsAgainstAConstantBound()
    {
        var c = new TestCircuit(api => api.AssertBitsLessOrEqual(api.ToBits(api.PrivateInput("v"), 8), (Fr)0b1010_0110));
        Gen.ULong[0, 255].Sample(v =>
        {
            if (v <= 0b1010_0110) c.SolveSatisfied(Inputs(("v", v)));
            else c.SolveUnsatisfied(Inputs(("v", v)));
        }, iter: 80);
    }

    [Fact]
    public void DivUncheckedCostsOne()
    {
        var c = new TestCircuit(api => api.Output("q", api.DivUnchecked(api.PrivateInput("a"), api.PrivateInput("b"))));
        Assert.Single(c.Compile().R1cs.Constraints);
        Assert.Equal((Fr)7, c.SolveSatisfied(Inputs(("a", 21), ("b", 3)))["q"]);
        Assert.Contains("divide", c.SolveUnsatisfied(Inputs(("a", 21), ("b", 0))));
        Assert.Contains("divide", c.SolveUnsatisfied(Inputs(("a", 21), ("b", 3)), TamperNth("divide", 0, o => o[0] = 8)));
    }

    [Fact]
    public void MulAddKeepsRunningValuesOnOneWire()
    {
        // x ← x·y + x, ten times: one constraint and one wire each, and no constraint mentions more than three wires.
        var c = new TestCircuit(api =>
        {
            var x = api.PrivateInput("x");
            var y = api.PrivateInput("y");
            for (int i = 0; i < 10; i++) x = api.MulAdd(x, y, x);
            api.Output("result", x);
            api.Output("free", api.MulAdd((Fr)3, y, (Fr)1));
        });
        var r1cs = c.Compile().R1cs;
        Assert.Equal(10 + 1, r1cs.Constraints.Count);
        Assert.All(r1cs.Constraints, k => Assert.True(k.A.Length + k.B.Length + k.C.Length <= 4));
        var s = c.SolveSatisfied(Inputs(("x", 2), ("y", 1)));
        Assert.Equal(((Fr)2048, (Fr)4), (s["result"], s["free"]));
        AssertEveryWirePinned(s);
    }

    [Fact]
    public void AssertProductFoldsTheEqualityIntoTheProduct()
    {
        var c = new TestCircuit(api => api.AssertProduct(api.PrivateInput("a"), api.PrivateInput("b"), api.Add(api.PrivateInput("c"), Fr.One)));
        Assert.Single(c.Compile().R1cs.Constraints);
        c.SolveSatisfied(Inputs(("a", 3), ("b", 5), ("c", 14)));
        Assert.Contains("assert product", c.SolveUnsatisfied(Inputs(("a", 3), ("b", 5), ("c", 15))));
        var constant = new TestCircuit(api => api.AssertProduct((Fr)3, api.PrivateInput("b"), (Fr)15));
        Assert.Single(constant.Compile().R1cs.Constraints);
        constant.SolveSatisfied(Inputs(("b", 5)));
        Assert.Contains("assert equal", constant.SolveUnsatisfied(Inputs(("b", 6))));
    }

    [Fact]
    public void IsZeroAndSelect()
    {
        var c = new TestCircuit(api =>
        {
            var v = api.PrivateInput("v");
            var z = api.IsZero(v);
            api.Output("z", z);
            api.Output("pick", api.Select(z, api.PrivateInput("a"), api.PrivateInput("b")));
        });
        // IsZero 2; Select 2 (z is a combination, so its boolean check is paid); z's output equality 1 (the select's wire is free).
        Assert.Equal(2 + 2 + 1, c.Compile().R1cs.Constraints.Count);
        var zero = c.SolveSatisfied(Inputs(("v", 0), ("a", 10), ("b", 20)));
        Assert.Equal((Fr.One, (Fr)10), (zero["z"], zero["pick"]));
        var nonZero = c.SolveSatisfied(Inputs(("v", 5), ("a", 10), ("b", 20)));
        Assert.Equal((Fr.Zero, (Fr)20), (nonZero["z"], nonZero["pick"]));
        // Not the select: with z = 0 the unpicked input is free. v ≠ 0 pins IsZero's hinted inverse.
        AssertEveryWirePinned(new TestCircuit(api => api.Output("z", api.IsZero(api.PrivateInput("v")))).SolveSatisfied(Inputs(("v", 5))));
        Assert.Contains("is zero", c.SolveUnsatisfied(Inputs(("v", 5), ("a", 10), ("b", 20)), TamperNth("is zero", 0, o => o[0] = Fr.Zero)));
        Assert.Contains("assert boolean", new TestCircuit(api => api.Select(api.PrivateInput("c"), (Fr)1, (Fr)2)).SolveUnsatisfied(Inputs(("c", 2))));
    }

    private static TestCircuit Comparisons(int bits) => new(api =>
    {
        var a = api.PrivateInput("a");
        var b = api.PrivateInput("b");
        api.Output("le", api.IsLessOrEqual(a, b, bits));
        api.AssertLessOrEqual(a, b, bits);
    });

    [Fact]
    public void ComparisonsCostAsLessEqThan()
    {
        Assert.Equal(16 + 2 + 16 + 1, Comparisons(16).Compile().R1cs.Constraints.Count);
        var c = Comparisons(16);
        Gen.Select(Gen.ULong[0, 65535], Gen.ULong[0, 65535]).Sample((a, b) =>
        {
            if (a <= b) Assert.Equal(Fr.One, c.SolveSatisfied(Inputs(("a", a), ("b", b)))["le"]);
            else Assert.Contains("assert equal", c.SolveUnsatisfied(Inputs(("a", a), ("b", b))));
        }, iter: 60);

        var big = Comparisons(252);
        var max = Fr.FromBigInteger((BigInteger.One << 252) - 1);
        big.SolveSatisfied(Inputs(("a", Fr.Zero), ("b", max)));
        big.SolveUnsatisfied(Inputs(("a", max), ("b", Fr.Zero)));
    }

    [Fact]
    public void RangeChecks()
    {
        var c = new TestCircuit(api => api.AssertInRange(api.PrivateInput("v"), 10));
        Gen.ULong[0, 2047].Sample(v =>
        {
            if (v < 1024) c.SolveSatisfied(Inputs(("v", v)));
            else c.SolveUnsatisfied(Inputs(("v", v)));
        }, iter: 60);
    }

    [Fact]
    public void ScopesPrefixLabels()
    {
        var c = new TestCircuit(api =>
        {
            var x = api.PrivateInput("x");
            using (api.Scope("outer"))
            using (api.Scope("inner 3"))
                api.AssertEqual(x, (Fr)1);
            api.AssertEqual(x, (Fr)2);
        });
        Assert.StartsWith("outer/inner 3: assert equal at CircuitApiTests.cs:", c.SolveUnsatisfied(Inputs(("x", 2))));
        Assert.StartsWith("assert equal at CircuitApiTests.cs:", c.SolveUnsatisfied(Inputs(("x", 1))));
    }

    [Fact]
    public void MisuseIsReported()
    {
        Assert.Throws<KeyNotFoundException>(() => new TestCircuit(api => api.PrivateInput("x")).Solve(Inputs()));
        Assert.Throws<InvalidOperationException>(() => new TestCircuit(api => { api.PublicInput("x"); api.PrivateInput("x"); }).Compile());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TestCircuit(api => api.ToBits(api.PrivateInput("x"), 255)).Compile());
        var failing = new TestCircuit(api => api.Hint("boom", (_, _) => throw new ArithmeticException("no"), 1, [api.PrivateInput("x")]));
        failing.Compile();
        Assert.Contains("hint 'boom' failed at CircuitApiTests.cs:", Assert.Throws<InvalidOperationException>(() => failing.Solve(Inputs(("x", 1)))).Message);
    }
}
