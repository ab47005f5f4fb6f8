using CsCheck;
using Validium.Crypto;
using Validium.Proving.Gadgets;
using static Validium.Proving.Tests.TestCircuit;

namespace Validium.Proving.Tests;

public class PoseidonGadgetTests
{
    private static TestCircuit Hasher(int n) => new(api => api.Output("hash", PoseidonGadget.Hash(api, api.PrivateInputs("in", n))));

    [Fact]
    public void MatchesCircomlibjsVectors()
    {
        foreach (var v in CircomlibVectors.Get("poseidon").EnumerateArray().Where((_, i) => i % 5 == 0))
        {
            var inputs = v.GetProperty("inputs").EnumerateArray().Select(x => Fr.Parse(x.GetString()!)).ToArray();
            var s = Hasher(inputs.Length).SolveSatisfied(Inputs([.. Array("in", inputs)]));
            Assert.Equal(Fr.Parse(v.GetProperty("output").GetString()!), s["hash"]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(16)]
    public void MatchesPoseidonHashOnRandomInputs(int n)
    {
        var c = Hasher(n);
        Gen.Select(Gen.Int, Gen.Int).Sample((seed, _) =>
        {
            var rng = new Random(seed);
            var inputs = Enumerable.Range(0, n).Select(_ => Fr.Random(rng)).ToArray();
            Assert.Equal(Poseidon.Hash(inputs), c.SolveSatisfied(Inputs([.. Array("in", inputs)]))["hash"]);
        }, iter: n > 5 ? 1 : 4);
    }

    [Fact]
    public void EveryWireIsPinnedAndTamperingIsCaught()
    {
        var c = Hasher(2);
        var inputs = Inputs([.. Array("in", [1, 2])]);
        CircuitApiTests.AssertEveryWirePinned(c.SolveSatisfied(inputs));

        // A forged public hash fails at the output equality; a changed input still satisfies (a different hash).
        var forged = new TestCircuit(api => api.AssertEqual(PoseidonGadget.Hash(api, api.PrivateInputs("in", 2)), api.PublicInput("hash")));
        var good = Poseidon.Hash(1, 2);
        forged.SolveSatisfied(Inputs([.. Array("in", [1, 2]), ("hash", good)]));
        Assert.StartsWith("assert equal at PoseidonGadgetTests.cs:", forged.SolveUnsatisfied(Inputs([.. Array("in", [1, 2]), ("hash", good + Fr.One)])));

        var s = c.SolveSatisfied(inputs);
        var tampered = (Fr[])s.Witness.Clone();
        tampered[^1] += Fr.One;
        Assert.StartsWith("poseidon3/round 64: mul at PoseidonGadget.cs:", s.Circuit.Check(tampered)!.Label);
        tampered = (Fr[])s.Witness.Clone();
        tampered[4] += Fr.One;
        Assert.StartsWith("poseidon3/round 0: mul at PoseidonGadget.cs:", s.Circuit.Check(tampered)!.Label);
    }
}
