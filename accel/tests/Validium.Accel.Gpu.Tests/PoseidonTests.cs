using Validium.Crypto;

namespace Validium.Accel.Gpu.Tests;

[Collection(GpuCollection.Name)]
public class PoseidonTests(GpuFixture fixture)
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 17)]
    [InlineData(2, 100)]
    [InlineData(3, 1)]
    [InlineData(5, 4)]
    [InlineData(16, 2)]
    public void BatchMatchesReferencePermutation(int arity, int count)
    {
        var (rng, seed) = GpuFixture.Seeded();
        var inputs = Enumerable.Range(0, arity * count).Select(_ => Fr.Random(rng)).ToArray();
        var outputs = new Fr[count];
        fixture.Backend.PoseidonBatch(inputs, arity, outputs);
        var p = TestPoseidon.Parameters(arity);
        for (int i = 0; i < count; i++)
        {
            var expected = TestPoseidon.Hash(p, inputs.AsSpan(i * arity, arity));
            Assert.True(expected == outputs[i], $"arity {arity}, hash {i}: {outputs[i]} != {expected}; seed {seed}");
        }
    }

    [Fact]
    public void AllZeroInputsMatchReference()
    {
        var outputs = new Fr[3];
        fixture.Backend.PoseidonBatch(new Fr[6], 2, outputs);
        var expected = TestPoseidon.Hash(TestPoseidon.Parameters(2), new Fr[2]);
        Assert.All(outputs, o => Assert.Equal(expected, o));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void MerkleLayerHashesPairs(int parents)
    {
        var (rng, seed) = GpuFixture.Seeded();
        var children = Enumerable.Range(0, 2 * parents).Select(_ => Fr.Random(rng)).ToArray();
        var result = new Fr[parents];
        fixture.Backend.MerkleLayer(children, result);
        var p = TestPoseidon.Parameters(2);
        for (int i = 0; i < parents; i++)
            Assert.True(TestPoseidon.Hash(p, [children[2 * i], children[2 * i + 1]]) == result[i], $"parent {i}; seed {seed}");
    }

    [Fact]
    public void EmptyBatchIsANoOp()
    {
        fixture.Backend.PoseidonBatch([], 2, []);
        fixture.Backend.MerkleLayer([], []);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(17)]
    public void ArityOutOfRangeIsRejected(int arity) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Backend.PoseidonBatch(new Fr[4], arity, new Fr[1]));

    [Fact]
    public void LengthMismatchesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => fixture.Backend.PoseidonBatch(new Fr[5], 2, new Fr[2]));
        Assert.Throws<ArgumentException>(() => fixture.Backend.MerkleLayer(new Fr[5], new Fr[2]));
    }

    [Fact]
    public void MalformedParametersAreRejected()
    {
        var good = TestPoseidon.Parameters(2);
        Assert.Throws<ArgumentException>(() => (good with { Width = 4 }).Validate(2));
        Assert.Throws<ArgumentException>(() => (good with { FullRounds = 7 }).Validate(2));
        Assert.Throws<ArgumentException>(() => (good with { RoundConstants = good.RoundConstants[1..] }).Validate(2));
        Assert.Throws<ArgumentException>(() => (good with { Mds = good.Mds[1..] }).Validate(2));
    }

    [Fact]
    public void FromMatrixFlattensRowMajor()
    {
        var m = new[] { new Fr[] { 1, 2 }, new Fr[] { 3, 4 } };
        var p = PoseidonKernelParameters.FromMatrix(2, 0, new Fr[4], m);
        Assert.Equal(new Fr[] { 1, 2, 3, 4 }, p.Mds);
        Assert.Equal(2, p.Width);
    }
}
