using Validium.Crypto;
using Validium.Proving.Circuit;
using Validium.Proving.Gadgets;

namespace Validium.Proving.Tests;

/// <summary>
/// What each gadget costs, beside circomlib's count for the same template, measured with
/// bench/peers/gadget-counts/run.sh (circom 2.2.3 --O2, each template compiled alone, `snarkjs r1cs info`):
/// <code>
/// gadget                                   here    circomlib
/// Poseidon, 2 inputs (t = 3)                240    Poseidon(2) 240
/// Poseidon, 1 / 5 / 16 inputs       213 / 321 / 609   -  (3·(8t + partial rounds) − 3)
/// ToBits(v, 64)                              65    Num2Bits(64) 64
/// ToBits(v, 254), strict                    509    Num2Bits_strict 515
/// IsZero                                      2    IsZero 2
/// IsLessOrEqual(32)                          34    LessEqThan(32) 33
/// AssertLessOrEqual(n)                      n+1    (LessEqThan + out === 1)
/// AssertInRange(n)                          n+1    (Num2Bits: n)
/// Select (cond already boolean / not)     1 / 2    Mux1 1 (no boolean check)
/// Merkle path, depth 20                    4840    4840 (Poseidon + DualMux per level; /work/shared/NOTES.md)
/// Fixed-point Mul, 8 decimals, 64 bits      123    -
/// BabyJubjub add / double / on curve  6 / 5 / 3    BabyAdd 6 / BabyDbl 6 / BabyCheck 3
/// Multiply, 254-bit scalar (bits apart)    1541    EscalarMulAny(254) 2310
/// MultiplyFixed B8, 251 bits (bits apart)   504    EscalarMulFix(253, B8) 523
/// EdDSA-Poseidon verify                    3407    EdDSAPoseidonVerifier 4217
/// </code>
/// circom --O2 removes linear constraints by substitution (Num2Bits's recomposition Σ 2^i·bᵢ = in, LessEqThan's
/// and Num2Bits_strict's likewise); this DSL keeps them, hence the one-constraint gaps. The EdDSA figure is S's 251
/// bits and bound 503, curve checks 6, Poseidon 321, H's strict bits 509, 8·A 15, H·8A 1541, R8 + H·8A 6,
/// S·B8 504, final equality 2. Counts are for the gadget alone, results unused. Making a result that is a linear
/// combination a public output adds one equality here, where circom's --O2 would substitute it into the last product.
/// </summary>
public class ConstraintCountTests
{
    [Fact]
    public void BabyJubjubOperations()
    {
        Assert.Equal(6, Count(api => BabyJubjubGadget.Add(api, new(api.PrivateInput("x1"), api.PrivateInput("y1")), new(api.PrivateInput("x2"), api.PrivateInput("y2")))));
        Assert.Equal(3, Count(api => BabyJubjubGadget.AssertOnCurve(api, new(api.PrivateInput("x"), api.PrivateInput("y")))));
        Assert.Equal(5, Count(api => BabyJubjubGadget.Double(api, new(api.PrivateInput("x"), api.PrivateInput("y")))));
    }

    [Fact]
    public void EdDsaPoseidonVerify() =>
        Assert.Equal(3407, Count(api => EdDsaPoseidonGadget.Verify(api, new(api.PublicInput("ax"), api.PublicInput("ay")),
            new(api.PrivateInput("r8x"), api.PrivateInput("r8y")), api.PrivateInput("s"), api.PublicInput("m"))));

    [Fact]
    public void ScalarMultiplications()
    {
        // Net of the scalar's bits, which the caller already has.
        int strictBits = Count(api => api.ToBits(api.PrivateInput("k"), 254));
        int sBits = Count(api => api.ToBits(api.PrivateInput("k"), 251));
        Assert.Equal((509, 1541, 504), (strictBits,
            Count(api => BabyJubjubGadget.Multiply(api, api.ToBits(api.PrivateInput("k"), 254), new(api.PrivateInput("x"), api.PrivateInput("y")))) - strictBits,
            Count(api => BabyJubjubGadget.MultiplyFixed(api, api.ToBits(api.PrivateInput("k"), 251), BabyJubjub.Base8)) - sBits));
    }

    private static int Count(Action<ICircuitApi> define) => new TestCircuit(define).Compile().R1cs.Constraints.Count;

    [Theory]
    [InlineData(1, 213)]
    [InlineData(2, 240)]
    [InlineData(5, 321)]
    [InlineData(16, 609)]
    public void Poseidon(int inputs, int expected) => Assert.Equal(expected, Count(api => PoseidonGadget.Hash(api, api.PrivateInputs("in", inputs))));

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(253)]
    public void Bits(int n)
    {
        Assert.Equal(n + 1, Count(api => api.ToBits(api.PrivateInput("v"), n)));
        Assert.Equal(n + 1, Count(api => api.AssertInRange(api.PrivateInput("v"), n)));
    }

    [Fact]
    public void Comparisons()
    {
        Assert.Equal(2, Count(api => api.IsZero(api.PrivateInput("v"))));
        Assert.Equal(32 + 2, Count(api => api.IsLessOrEqual(api.PrivateInput("a"), api.PrivateInput("b"), 32)));
        Assert.Equal(32 + 1, Count(api => api.AssertLessOrEqual(api.PrivateInput("a"), api.PrivateInput("b"), 32)));
        Assert.Equal(2, Count(api => api.Select(api.PrivateInput("c"), api.PrivateInput("a"), api.PrivateInput("b"))));
    }

    [Fact]
    public void MerklePathOfDepth20() =>
        Assert.Equal(20 * 242, Count(api => MerkleGadget.ComputeRoot(api, api.PrivateInput("leaf"), api.PrivateInputs("sibling", 20), api.PrivateInputs("bit", 20))));

    [Fact]
    public void FixedPointMul() =>
        // a·b (1) + its equality (1) + r in 27 bits (28) + r ≤ 10^8 − 1 (28) + q in 64 signed bits (65).
        Assert.Equal(1 + 1 + 28 + 28 + 65, Count(api => new FixedPoint(api, 8, 64).Mul(api.PrivateInput("a"), api.PrivateInput("b"))));
}
