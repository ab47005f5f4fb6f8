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
        Assert.StartsWith("eddsa/on curve: assert equal at EdDsaPoseidonGadget.cs:", Verifier.SolveUnsatisfied(Signed(a, offCurve, sig.S, m)));
        Assert.StartsWith("eddsa/right: inverse", Verifier.SolveUnsatisfied(Signed(BabyJubjubPoint.Identity, sig.R8, sig.S, m)));

        // A cheating prover's hinted quotient in the first doubling of A.
        var s = Verifier.SolveSatisfied(Signed(a, sig.R8, sig.S, m));
        Assert.StartsWith("eddsa/right: divide at EdDsaPoseidonGadget.cs:",
            Verifier.SolveUnsatisfied(Signed(a, sig.R8, sig.S, m), TamperNth("divide", 0, o => o[0] += Fr.One)));
        var tampered = (Fr[])s.Witness.Clone();
        tampered[^1] += Fr.One;
        Assert.NotNull(s.Circuit.Check(tampered));
    }
}
