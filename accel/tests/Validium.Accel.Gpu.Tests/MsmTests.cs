using Validium.Crypto;

namespace Validium.Accel.Gpu.Tests;

[Collection(GpuCollection.Name)]
public class MsmTests(GpuFixture fixture)
{
    /// <summary>The oracle: Σ k_i·P_i by Validium.Crypto's double-and-add, no buckets involved.</summary>
    private static G1Jacobian Naive(G1Affine[] points, Fr[] scalars)
    {
        var acc = G1Jacobian.Infinity;
        for (int i = 0; i < points.Length; i++) acc = acc.Add(points[i].ToJacobian().Multiply(scalars[i]));
        return acc;
    }

    private void AssertMsm(G1Affine[] points, Fr[] scalars, string context)
    {
        var expected = Naive(points, scalars);
        var got = fixture.Backend.MsmG1(points, scalars);
        Assert.True(got.IsOnCurve(), $"result off the curve; {context}");
        Assert.True(expected == got, $"MSM of {points.Length} gave {got}, expected {expected}; {context}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(100)]
    public void RandomInputsMatchReference(int n)
    {
        var (rng, seed) = GpuFixture.Seeded();
        var points = Enumerable.Range(0, n).Select(_ => GpuFixture.RandomPoint(rng)).ToArray();
        var scalars = Enumerable.Range(0, n).Select(_ => Fr.Random(rng)).ToArray();
        AssertMsm(points, scalars, $"seed {seed}");
    }

    [Fact]
    public void EmptyInputIsInfinity() => Assert.True(fixture.Backend.MsmG1([], []).IsInfinity);

    [Fact]
    public void ZeroScalarsAndInfinityPointsContributeNothing()
    {
        var (rng, seed) = GpuFixture.Seeded();
        var points = Enumerable.Range(0, 12).Select(i => i % 3 == 0 ? G1Affine.Infinity : GpuFixture.RandomPoint(rng)).ToArray();
        var scalars = Enumerable.Range(0, 12).Select(i => i % 4 == 1 ? Fr.Zero : Fr.Random(rng)).ToArray();
        AssertMsm(points, scalars, $"seed {seed}");
    }

    [Fact]
    public void AllZeroScalarsGiveInfinity()
    {
        var (rng, seed) = GpuFixture.Seeded();
        var points = Enumerable.Range(0, 9).Select(_ => GpuFixture.RandomPoint(rng)).ToArray();
        Assert.True(fixture.Backend.MsmG1(points, new Fr[9]).IsInfinity, $"seed {seed}");
    }

    [Fact]
    public void AllInfinityPointsGiveInfinity()
    {
        var (rng, seed) = GpuFixture.Seeded();
        var scalars = Enumerable.Range(0, 9).Select(_ => Fr.Random(rng)).ToArray();
        Assert.True(fixture.Backend.MsmG1(new G1Affine[9], scalars).IsInfinity, $"seed {seed}");
    }

    /// <summary>Equal scalars put equal points into one bucket (P + P takes the doubling branch), and P with −P cancels.</summary>
    [Fact]
    public void DuplicateAndOpposingPointsMatchReference()
    {
        var (rng, seed) = GpuFixture.Seeded();
        var p = GpuFixture.RandomPoint(rng);
        var q = GpuFixture.RandomPoint(rng);
        var k = Fr.Random(rng);
        G1Affine[] points = [p, p, p, q, p.Negate(), q, p, q.Negate(), p];
        Fr[] scalars = [k, k, k, Fr.Random(rng), k, Fr.One, Fr.Random(rng), Fr.One, -k];
        AssertMsm(points, scalars, $"seed {seed}");
    }

    /// <summary>A witness-like input: almost every scalar is 0 or 1, so one bucket holds nearly all points.</summary>
    [Fact]
    public void SkewedScalarsMatchReference()
    {
        var (rng, seed) = GpuFixture.Seeded();
        var points = Enumerable.Range(0, 60).Select(_ => GpuFixture.RandomPoint(rng)).ToArray();
        var scalars = Enumerable.Range(0, 60).Select(i => i % 7 == 0 ? Fr.Zero : i % 11 == 0 ? Fr.Random(rng) : Fr.One).ToArray();
        AssertMsm(points, scalars, $"seed {seed}");
        var same = Enumerable.Repeat(points[0], 40).ToArray();
        AssertMsm(same, Enumerable.Repeat(Fr.One, 40).ToArray(), $"one point 40 times; seed {seed}");
    }

    [Fact]
    public void RunsCoverEveryGroupWithinTheLimit()
    {
        var (start, runs) = GpuBackend.Runs([0, 7, 3, 1, 0], 3);
        Assert.Equal([1, 3, 1, 1, 1], runs);
        Assert.Equal([0, 0, 3, 6, 7, 10, 11, 11], start);
    }

    [Fact]
    public void CancellingTermsGiveInfinity()
    {
        var (rng, seed) = GpuFixture.Seeded();
        var p = GpuFixture.RandomPoint(rng);
        var k = Fr.Random(rng);
        Assert.True(fixture.Backend.MsmG1([p, p, p.Negate()], [k, k, k + k]).IsInfinity, $"seed {seed}");
    }

    [Fact]
    public void SmallAndExtremeScalarsMatchReference()
    {
        var (rng, seed) = GpuFixture.Seeded();
        var points = Enumerable.Range(0, 6).Select(_ => GpuFixture.RandomPoint(rng)).ToArray();
        Fr[] scalars = [Fr.One, Fr.FromUInt64(2), -Fr.One, Fr.FromUInt64(ulong.MaxValue), -Fr.FromUInt64(2), Fr.FromUInt64(7)];
        AssertMsm(points, scalars, $"seed {seed}");
    }

    [Fact]
    public void LengthMismatchIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => fixture.Backend.MsmG1([G1Affine.Generator], []));
        Assert.Contains("1 points, 0 scalars", e.Message);
    }

    [Fact]
    public void CancelledTokenStopsBeforeWork()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => fixture.Backend.MsmG1([G1Affine.Generator], [Fr.One], cts.Token));
    }
}
