using System.Security.Cryptography;
using System.Text;
using CsCheck;

namespace Validium.Crypto.Tests;

public class PoseidonTests
{
    public static TheoryData<int> Vectors => CircomlibVectors.Indices("poseidon");
    public static TheoryData<int> Widths => CircomlibVectors.Indices("poseidonConstants");

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Hash_matches_circomlibjs(int index)
    {
        var v = CircomlibVectors.Item("poseidon", index);
        var inputs = v.GetProperty("inputs").EnumerateArray().Select(e => Fr.Parse(e.GetString()!)).ToArray();
        Assert.Equal(v.Fr("output"), Poseidon.Hash(inputs));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Generated_constants_equal_circomlibjs_tables(int index)
    {
        var v = CircomlibVectors.Item("poseidonConstants", index);
        var prm = PoseidonParameters.Get(v.GetProperty("t").GetInt32());
        var rc = v.GetProperty("roundConstants");
        Assert.Equal(rc.GetProperty("count").GetInt32(), prm.RoundConstants.Length);
        Assert.Equal(rc.Fr("first"), prm.RoundConstants[0]);
        Assert.Equal(rc.Fr("last"), prm.RoundConstants[^1]);
        Assert.Equal(rc.Str("sha256"), Digest(prm.RoundConstants));
        var mds = v.GetProperty("mds");
        Assert.Equal(mds.Fr("first"), prm.Mds[0][0]);
        Assert.Equal(mds.Str("sha256"), Digest(prm.Mds.SelectMany(r => r)));
        var opt = v.GetProperty("optimized");
        Assert.Equal(opt.Str("C"), Digest(prm.Optimized.C));
        Assert.Equal(opt.Str("S"), Digest(prm.Optimized.S));
        Assert.Equal(opt.Str("M"), Digest(prm.Optimized.M));
        Assert.Equal(opt.Str("P"), Digest(prm.Optimized.P));
    }

    [Fact]
    public void Parameters_describe_circomlibs_instance()
    {
        int[] partial = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68];
        for (int t = 2; t <= 17; t++)
        {
            var prm = PoseidonParameters.Get(t);
            Assert.Equal(t, prm.Width);
            Assert.Equal(8, prm.FullRounds);
            Assert.Equal(partial[t - 2], prm.PartialRounds);
            Assert.Equal(t, prm.Mds.Length);
            Assert.All(prm.Mds, row => Assert.Equal(t, row.Length));
            Assert.Same(prm, PoseidonParameters.Get(t));
        }
    }

    [Fact]
    public void Optimized_permutation_equals_reference_permutation()
    {
        Gen.Int[2, 17].SelectMany(t => GenFr.Any.Array[t]).Sample(state =>
        {
            var fast = state.ToArray();
            var reference = state.ToArray();
            Poseidon.Permute(fast);
            Poseidon.PermuteReference(reference);
            Assert.Equal(reference, fast);
        }, iter: 60);
    }

    [Fact]
    public void Two_input_overload_equals_span_overload()
    {
        Gen.Select(GenFr.Any, GenFr.Any).Sample((a, b) => Poseidon.Hash(a, b) == Poseidon.Hash([a, b]), iter: 50);
    }

    [Fact]
    public void Hash_is_permute_with_zero_capacity()
    {
        Gen.Int[1, 16].SelectMany(n => GenFr.Any.Array[n]).Sample(inputs =>
        {
            var state = new Fr[inputs.Length + 1];
            inputs.CopyTo(state, 1);
            Poseidon.Permute(state);
            Assert.Equal(state[0], Poseidon.Hash(inputs));
        }, iter: 30);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void Hash_rejects_unsupported_input_counts(int n)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Poseidon.Hash(new Fr[n]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(18)]
    public void Permute_rejects_unsupported_widths(int t)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Poseidon.Permute(new Fr[t]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoseidonParameters.Get(t));
    }

    /// <summary>The vector script's digest: SHA-256 of the decimal values joined by commas.</summary>
    private static string Digest(IEnumerable<Fr> values) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", values.Select(v => v.ToString())))));
}
