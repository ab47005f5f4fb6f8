using System.Numerics;
using CsCheck;
using Validium.Crypto;
using Validium.Proving.Gadgets;
using static Validium.Proving.Tests.TestCircuit;

namespace Validium.Proving.Tests;

public class EdDsaPoseidonGadgetTests
{
    private static readonly TestCircuit Verifier = new(api =>
        EdDsaPoseidonGadget.Verify(api,
            new(api.PublicInput("ax"), api.PublicInput("ay")),
            new(api.PrivateInput("r8x"), api.PrivateInput("r8y")),
            api.PrivateInput("s"), api.PublicInput("m")));

    private static Dictionary<string, Fr> Signed(BabyJubjubPoint a, BabyJubjubPoint r8, BigInteger s, Fr m) =>
        Inputs(("ax", a.X), ("ay", a.Y), ("r8x", r8.X), ("r8y", r8.Y), ("s", Fr.FromBigInteger(s)), ("m", m));

    [Fact]
    public void AcceptsCircomlibjsSignatures()
    {
        foreach (var v in CircomlibVectors.Get("signPoseidon").EnumerateArray().Take(3))
        {
            var a = EdDsaPoseidon.PrivateToPublic(Convert.FromHexString(v.GetProperty("privateKey").GetString()!));
            var r8 = new BabyJubjubPoint(Fr.Parse(v.GetProperty("r8x").GetString()!), Fr.Parse(v.GetProperty("r8y").GetString()!));
            var s = BigInteger.Parse(v.GetProperty("s").GetString()!);
            var m = Fr.Parse(v.GetProperty("message").GetString()!);
            var solved = Verifier.SolveSatisfied(Signed(a, r8, s, m));
            AssertSameSystem(Verifier.Compile().R1cs, solved.Circuit.R1cs);
            Assert.StartsWith("eddsa/left: assert equal", Verifier.SolveUnsatisfied(Signed(a, r8, s, m + Fr.One)));
        }
    }

    /// <summary>Compiling without values and solving with them must give one system, or the prover's witness fits another circuit.</summary>
    private static void AssertSameSystem(R1cs compiled, R1cs solved)
    {
        Assert.Equal((compiled.NumWires, compiled.NumPublic, compiled.Constraints.Count), (solved.NumWires, solved.NumPublic, solved.Constraints.Count));
        for (int i = 0; i < compiled.Constraints.Count; i++)
        {
            var (x, y) = (compiled.Constraints[i], solved.Constraints[i]);
            Assert.Equal(x.Label, y.Label);
            Assert.Equal(x.A, y.A);
            Assert.Equal(x.B, y.B);
            Assert.Equal(x.C, y.C);
        }
    }

    [Fact]
    public void AgreesWithValidiumCryptoOnRandomKeys()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.Int).Sample((key, seed) =>
        {
            var m = Fr.Random(new Random(seed));
            var sig = EdDsaPoseidon.Sign(key, m);
            var a = EdDsaPoseidon.PrivateToPublic(key);
            Verifier.SolveSatisfied(Signed(a, sig.R8, sig.S, m));
            var otherS = (sig.S + 1) % BabyJubjub.SubgroupOrder;
            Assert.False(EdDsaPoseidon.Verify(m, sig with { S = otherS }, a));
            Assert.StartsWith("eddsa/left: assert equal", Verifier.SolveUnsatisfied(Signed(a, sig.R8, otherS, m)));
        }, iter: 2);
    }

    [Fact]
    public void RejectsMalleableAndMalformedSignatures()
    {
        var key = new byte[32];
        key[0] = 7;
        var m = (Fr)42;
        var sig = EdDsaPoseidon.Sign(key, m);
        var a = EdDsaPoseidon.PrivateToPublic(key);

        // S + l satisfies the group equation (l·B8 is the identity), so only the range check stops it.
        var malleable = sig.S + BabyJubjub.SubgroupOrder;
        Assert.Equal(BabyJubjub.MultiplyBase8(sig.S), BabyJubjub.MultiplyBase8(malleable));
        Assert.StartsWith("eddsa/s below l: ", Verifier.SolveUnsatisfied(Signed(a, sig.R8, malleable, m)));

        var offCurve = sig.R8 with { Y = sig.R8.Y + Fr.One };
        Assert.StartsWith("eddsa/on curve: assert product at BabyJubjubGadget.cs:", Verifier.SolveUnsatisfied(Signed(a, offCurve, sig.S, m)));
        Assert.StartsWith("eddsa/right: inverse", Verifier.SolveUnsatisfied(Signed(BabyJubjubPoint.Identity, sig.R8, sig.S, m)));

        // A cheating prover's hinted quotients: the first doubling of A, then slopes inside the multiplication by H.
        var s = Verifier.SolveSatisfied(Signed(a, sig.R8, sig.S, m));
        Assert.StartsWith("eddsa/right: divide at BabyJubjubGadget.cs:",
            Verifier.SolveUnsatisfied(Signed(a, sig.R8, sig.S, m), TamperNth("divide", 0, o => o[0] += Fr.One)));
        foreach (int n in new[] { 6, 7, 100, 261 })
            Assert.StartsWith("eddsa/right: divide at MontgomeryForm.cs:",
                Verifier.SolveUnsatisfied(Signed(a, sig.R8, sig.S, m), TamperNth("divide", n, o => o[0] -= Fr.One)));
        CircuitApiTests.AssertEveryWirePinned(s);
        var tampered = (Fr[])s.Witness.Clone();
        tampered[^1] += Fr.One;
        Assert.NotNull(s.Circuit.Check(tampered));
    }

    /// <summary>
    /// A signature over a key and nonce of our choosing, small-order parts included: S = r + 8·H·a, which
    /// Validium.Crypto accepts whenever R8 is r·B8 (its small-order part would stay on the right-hand side).
    /// </summary>
    private static (BabyJubjubPoint A, EdDsaSignature Signature) SignWith(BigInteger a, BabyJubjubPoint keyPart, BigInteger r, BabyJubjubPoint noncePart, Fr m)
    {
        var publicKey = BabyJubjub.Add(BabyJubjub.MultiplyBase8(a), keyPart);
        var r8 = BabyJubjub.Add(BabyJubjub.MultiplyBase8(r), noncePart);
        var h = Poseidon.Hash([r8.X, r8.Y, publicKey.X, publicKey.Y, m]).ToBigInteger();
        return (publicKey, new EdDsaSignature(r8, (r + 8 * h * a) % BabyJubjub.SubgroupOrder));
    }

    [Fact]
    public void AgreesWithValidiumCryptoOnKeysAndNoncesWithSmallOrderParts()
    {
        var torsion = BabyJubjub.Multiply(BabyJubjub.Generator, BabyJubjub.SubgroupOrder);
        var m = (Fr)99;
        BigInteger a = 123456789, r = 987654321;

        // A key with an order-8 part: 8·A drops it, so the signature stands, as in Validium.Crypto and circomlib.
        var (key, sig) = SignWith(a, torsion, r, BabyJubjubPoint.Identity, m);
        Assert.True(EdDsaPoseidon.Verify(m, sig, key));
        Verifier.SolveSatisfied(Signed(key, sig.R8, sig.S, m));

        // R8 = identity: the last Edwards addition is complete, so the circuit accepts what Validium.Crypto accepts.
        (key, sig) = SignWith(a, BabyJubjubPoint.Identity, 0, BabyJubjubPoint.Identity, m);
        Assert.True(sig.R8.IsIdentity && EdDsaPoseidon.Verify(m, sig, key));
        Verifier.SolveSatisfied(Signed(key, sig.R8, sig.S, m));

        // A nonce with a small-order part cannot meet S·B8, which lies in the subgroup.
        (key, sig) = SignWith(a, BabyJubjubPoint.Identity, r, torsion, m);
        Assert.False(EdDsaPoseidon.Verify(m, sig, key));
        Assert.StartsWith("eddsa/left: assert equal", Verifier.SolveUnsatisfied(Signed(key, sig.R8, sig.S, m)));

        // Small-order keys (8·A = O) verify any message under S·B8 = R8 in Validium.Crypto; circomlib and the circuit refuse them.
        foreach (int k in new[] { 0, 1, 2, 4, 5 })
        {
            (key, sig) = SignWith(0, BabyJubjub.Multiply(torsion, k), r, BabyJubjubPoint.Identity, m);
            Assert.True(EdDsaPoseidon.Verify(m, sig, key));
            Assert.StartsWith("eddsa/right: inverse at BabyJubjubGadget.cs:", Verifier.SolveUnsatisfied(Signed(key, sig.R8, sig.S, m)));
        }
    }
}
