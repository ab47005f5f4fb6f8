using System.Text;
using Validium.Crypto;

namespace Validium.Accel.Tests;

/// <summary>The same checks on every backend, against Validium.Crypto, on seeded random inputs and edge cases.</summary>
public class ConformanceTests(ConformanceBackends backends) : IClassFixture<ConformanceBackends>
{
    public static TheoryData<string> Backends => ConformanceBackends.Names;

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void MsmG1OnRandomAndAwkwardInputs(string name)
    {
        var b = backends.Get(name);
        if (ConformanceBackends.Lacks(b, AccelOp.MsmG1, () => b.MsmG1([G1Affine.Generator], [Fr.One]))) return;
        foreach (int n in new[] { 1, 3, 17, 100 })
        {
            var inp = new Inputs(n * 31);
            var p = inp.G1Points(n);
            var s = inp.Scalars(n);
            if (n > 3)
            {
                s[0] = Fr.Zero;
                s[1] = -Fr.One;
                p[2] = G1Affine.Infinity;
                p[3] = p[4];
            }
            var got = b.MsmG1(p, s);
            Assert.True(Reference.Msm(p, s) == got, $"{name}: n {n}, seed {inp.Seed}");
        }
        Assert.True(b.MsmG1([], []).IsInfinity, $"{name}: empty MSM");
        Assert.True(b.MsmG1(new Inputs(1).G1Points(8), new Fr[8]).IsInfinity, $"{name}: zero scalars");
    }

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void MsmG2(string name)
    {
        var b = backends.Get(name);
        if (ConformanceBackends.Lacks(b, AccelOp.MsmG2, () => b.MsmG2([G2Affine.Generator], [Fr.One]))) return;
        var inp = new Inputs(77);
        var p = inp.G2Points(9);
        var s = inp.Scalars(9);
        s[0] = Fr.Zero;
        Assert.True(Reference.Msm(p, s) == b.MsmG2(p, s), $"{name}: seed {inp.Seed}");
    }

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void NttForwardInverseAndCoset(string name)
    {
        var b = backends.Get(name);
        if (ConformanceBackends.Lacks(b, AccelOp.Ntt, () => b.Ntt(new Fr[2], NttOptions.Forward))) return;
        foreach (int n in new[] { 1, 2, 16, 64 })
        {
            var inp = new Inputs(500 + n);
            var x = inp.Scalars(n);
            var shift = inp.Scalar();
            foreach (Fr? coset in new Fr?[] { null, shift })
            {
                var y = (Fr[])x.Clone();
                b.Ntt(y, new NttOptions(false, coset));
                Assert.True(Reference.Dft(x, coset ?? Fr.One).SequenceEqual(y), $"{name}: forward n {n}, coset {coset is not null}, seed {inp.Seed}");
                b.Ntt(y, new NttOptions(true, coset));
                Assert.True(x.SequenceEqual(y), $"{name}: inverse n {n}, coset {coset is not null}, seed {inp.Seed}");
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void PoseidonBatchEveryArity(string name)
    {
        var b = backends.Get(name);
        if (ConformanceBackends.Lacks(b, AccelOp.PoseidonBatch, () => b.PoseidonBatch(new Fr[2], 2, new Fr[1]))) return;
        var inp = new Inputs(600);
        foreach (int arity in new[] { 1, 2, 3, 5, 16 })
        {
            const int count = 5;
            var input = inp.Scalars(count * arity);
            input[0] = Fr.Zero;
            input[^1] = -Fr.One;
            var output = new Fr[count];
            b.PoseidonBatch(input, arity, output);
            for (int i = 0; i < count; i++)
                Assert.True(Poseidon.Hash(input.AsSpan(i * arity, arity)) == output[i], $"{name}: arity {arity}, hash {i}, seed {inp.Seed}");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void MerkleLayer(string name)
    {
        var b = backends.Get(name);
        if (ConformanceBackends.Lacks(b, AccelOp.MerkleLayer, () => b.MerkleLayer(new Fr[2], new Fr[1]))) return;
        var inp = new Inputs(700);
        var children = inp.Scalars(2 * 37);
        var parents = new Fr[37];
        b.MerkleLayer(children, parents);
        for (int i = 0; i < parents.Length; i++)
            Assert.True(Poseidon.Hash(children[2 * i], children[2 * i + 1]) == parents[i], $"{name}: parent {i}, seed {inp.Seed}");
    }

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void KeccakBatchIncludingEmptyAndBlockBoundaries(string name)
    {
        var b = backends.Get(name);
        if (ConformanceBackends.Lacks(b, AccelOp.KeccakBatch, () => b.KeccakBatch([], [0], []))) return;
        var rng = new Random(800);
        int[] lengths = [0, 1, 135, 136, 137, 0, 300];
        var data = new byte[lengths.Sum()];
        rng.NextBytes(data);
        var offsets = new int[lengths.Length + 1];
        for (int i = 0; i < lengths.Length; i++) offsets[i + 1] = offsets[i] + lengths[i];
        var digests = new byte[32 * lengths.Length];
        b.KeccakBatch(data, offsets, digests);
        for (int i = 0; i < lengths.Length; i++)
            Assert.Equal(Keccak256.Hash(data.AsSpan(offsets[i], lengths[i])), digests.AsSpan(32 * i, 32).ToArray());
        Assert.Equal(Convert.FromHexString("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"), digests.AsSpan(0, 32).ToArray());
        Assert.NotEqual(Keccak256.Hash(Encoding.ASCII.GetBytes("x")), digests.AsSpan(32, 32).ToArray());
    }

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void MalformedCallsAreRejectedWithArgumentErrors(string name)
    {
        var b = backends.Get(name);
        if (b.Capabilities.Supports(AccelOp.MsmG1)) Assert.ThrowsAny<ArgumentException>(() => b.MsmG1(new G1Affine[3], new Fr[2]));
        if (b.Capabilities.Supports(AccelOp.Ntt)) Assert.ThrowsAny<ArgumentException>(() => b.Ntt(new Fr[12], NttOptions.Forward));
        if (b.Capabilities.Supports(AccelOp.PoseidonBatch))
        {
            Assert.ThrowsAny<ArgumentException>(() => b.PoseidonBatch(new Fr[5], 2, new Fr[2]));
            Assert.ThrowsAny<ArgumentException>(() => b.PoseidonBatch(new Fr[17], 17, new Fr[1]));
        }
        if (b.Capabilities.Supports(AccelOp.MerkleLayer)) Assert.ThrowsAny<ArgumentException>(() => b.MerkleLayer(new Fr[5], new Fr[2]));
    }
}
