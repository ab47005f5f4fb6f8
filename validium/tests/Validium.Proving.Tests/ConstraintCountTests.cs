using Validium.Crypto;
using Validium.Proving.Circuit;
using Validium.Proving.Gadgets;

namespace Validium.Proving.Tests;

/// <summary>
/// What each gadget costs, beside circomlib's figure for the same gadget where one is known
/// (circom --O2; Poseidon(2) and the depth-20 path measured in /work/shared/NOTES.md):
/// <code>
/// gadget                           here    circomlib
/// Poseidon, 2 inputs (t = 3)        240    240
/// Poseidon, 1 / 5 / 16 inputs   213 / 321 / 609   -  (3·(8t + partial rounds) − 3)
/// ToBits / Num2Bits(n)              n+1    n+1
/// IsZero                              2    2
/// IsLessOrEqual / LessEqThan(n)     n+2    n+2
/// AssertLessOrEqual(n)              n+1    (LessEqThan + out === 1: n+2)
/// AssertInRange(n)                  n+1    n+1 (Num2Bits)
/// Select (checks cond boolean)       2    Mux1: 1, no boolean check
/// Merkle path, depth 20            4840    4840 (Poseidon + DualMux per level)
/// Fixed-point Mul, 8 decimals, 64 bits  123    -
/// ToBits(v, 254), strict            510    Num2Bits_strict (Num2Bits(254) + AliasCheck), not measured here
/// BabyJubjub add / on curve         6 / 4  BabyAdd 6 / -
/// EdDSA-Poseidon verify            6162    EdDSAPoseidonVerifier, not measured here
/// </code>
/// The EdDSA figure is as built, not a reference: S bits and bound ~500, strict H bits 510, variable-base
/// multiplication ~3.5k, fixed-base ~1.3k (constant points make its additions cost 3).
/// Counts are for the gadget alone, results unused. Making a result that is a linear combination a public
/// output adds one equality here, where circom's --O2 would substitute it into the last product instead.
/// </summary>
public class ConstraintCountTests
{
    [Fact]
    public void BabyJubjub()
    {
        Assert.Equal(6, Count(api => BabyJubjubGadget.Add(api, new(api.PrivateInput("x1"), api.PrivateInput("y1")), new(api.PrivateInput("x2"), api.PrivateInput("y2")))));
        Assert.Equal(4, Count(api => BabyJubjubGadget.AssertOnCurve(api, new(api.PrivateInput("x"), api.PrivateInput("y")))));
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
