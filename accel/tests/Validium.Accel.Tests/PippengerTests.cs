using Validium.Accel.Cpu;
using Validium.Crypto;

namespace Validium.Accel.Tests;

public class PippengerTests
{
    public static TheoryData<int> Windows() => [1, 2, 3, 4, 5, 7, 8, 11, 13, 16];

    [Theory]
    [MemberData(nameof(Windows))]
    public void EveryWindowSizeMatchesTheDefinition(int window)
    {
        var inp = new Inputs(1000 + window);
        var pts = inp.G1Points(37);
        var sc = inp.Scalars(37);
        sc[3] = Fr.Zero;
        sc[4] = -Fr.One;
        sc[5] = Fr.One;
        pts[6] = G1Affine.Infinity;
        pts[7] = pts[8];
        var got = Pippenger.Msm<G1Jacobian, G1Affine, Fp>(pts, sc, 2, default, window);
        Assert.True(Reference.Msm(pts, sc) == got, $"seed {inp.Seed}, window {window}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(100)]
    [InlineData(257)]
    public void SizesThatAreNotPowersOfTwo(int n)
    {
        var inp = new Inputs(2000 + n);
        var pts = inp.G1Points(n);
        var sc = inp.Scalars(n);
        var got = Pippenger.Msm<G1Jacobian, G1Affine, Fp>(pts, sc, 2, default);
        Assert.True(Reference.Msm(pts, sc) == got, $"seed {inp.Seed}, n {n}");
        Assert.True(got.IsOnCurve());
    }

    [Fact]
    public void AllZeroScalarsGiveInfinity()
    {
        var inp = new Inputs(3);
        var pts = inp.G1Points(50);
        Assert.True(Pippenger.Msm<G1Jacobian, G1Affine, Fp>(pts, new Fr[50], 2, default).IsInfinity);
    }

    [Fact]
    public void OnePointRepeatedCancelsToItsScalarSum()
    {
        var inp = new Inputs(4);
        var p = inp.G1Points(1)[0];
        var a = inp.Scalar();
        var pts = new[] { p, p, p, p.Negate() };
        var sc = new[] { a, -a, a, a };
        Assert.True(Pippenger.Msm<G1Jacobian, G1Affine, Fp>(pts, sc, 2, default).IsInfinity, "a - a + a - a must vanish");
    }

    /// <summary>
    /// Equal scalars put every point in one bucket per window: the affine batches see the same bucket
    /// over and over (side buckets), the same point twice (doubling) and a point and its negation (cancel).
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(12)]
    public void SkewedInputsExerciseEveryAffineBucketCase(int window)
    {
        var inp = new Inputs(40 + window);
        var p = inp.G1Points(300);
        var k = inp.Scalar();
        var sc = Enumerable.Repeat(k, 300).ToArray();
        p[10] = p[11];
        p[12] = p[13].Negate();
        for (int i = 200; i < 300; i++) p[i] = p[0];
        var got = Pippenger.Msm<G1Jacobian, G1Affine, Fp>(p, sc, 2, default, window);
        Assert.True(Reference.Msm(p, sc) == got, $"seed {inp.Seed}");
    }

    /// <summary>
    /// Each thread keeps one set of affine buckets for all its windows, so a window starts with buckets the previous
    /// one filled, cancelled to infinity or sent to the side. Random inputs with repeated and opposite points and
    /// equal scalars, on one thread (every window reuses the set) and on two.
    /// </summary>
    [Theory]
    [InlineData(1, 8)]
    [InlineData(1, 10)]
    [InlineData(2, 8)]
    [InlineData(2, 9)]
    public void BucketsReusedAcrossWindowsStartEmpty(int threads, int window)
    {
        for (int seed = 0; seed < 4; seed++)
        {
            var inp = new Inputs(100 * threads + 10 * window + seed);
            int n = 40 + 60 * seed;
            var g1 = inp.G1Points(n);
            var s1 = inp.Scalars(n);
            for (int i = 0; i < n / 4; i++)
            {
                g1[2 * i + 1] = i % 2 == 0 ? g1[2 * i] : g1[2 * i].Negate();
                s1[2 * i + 1] = s1[2 * i];
            }
            Assert.True(Reference.Msm(g1, s1) == Pippenger.Msm<G1Jacobian, G1Affine, Fp>(g1, s1, threads, default, window), $"seed {inp.Seed}, G1");
            var g2 = inp.G2Points(n / 2);
            var s2 = inp.Scalars(n / 2);
            g2[1] = g2[0].Negate();
            s2[1] = s2[0];
            Assert.True(Reference.Msm(g2, s2) == Pippenger.Msm<G2Jacobian, G2Affine, Fp2>(g2, s2, threads, default, window), $"seed {inp.Seed}, G2");
        }
    }

    [Fact]
    public void G2SharesTheSamePippenger()
    {
        var inp = new Inputs(5);
        var pts = inp.G2Points(19);
        var sc = inp.Scalars(19);
        sc[0] = Fr.Zero;
        pts[1] = G2Affine.Infinity;
        foreach (int window in new[] { 3, 9 })
        {
            var got = Pippenger.Msm<G2Jacobian, G2Affine, Fp2>(pts, sc, 2, default, window);
            Assert.True(Reference.Msm(pts, sc) == got, $"seed {inp.Seed}, window {window}");
        }
    }

    /// <summary>
    /// With 11-bit windows over the 127-bit GLV halves the top one sees only their top 6 bits (at most 64 of its 1,024
    /// buckets, batches of 64), so its deferred list fills before its batch does: the batch then runs early. Many
    /// points are needed for that to happen.
    /// </summary>
    [Fact]
    public void FewBucketsInTheTopWindowRunTheirBatchesEarly()
    {
        var inp = new Inputs(8);
        var g1 = inp.G1Points(1500);
        var s1 = inp.Scalars(1500);
        Assert.True(Reference.Msm(g1, s1) == Pippenger.Msm<G1Jacobian, G1Affine, Fp>(g1, s1, 2, default, 11), $"seed {inp.Seed}, G1");
        var g2 = inp.G2Points(400);
        var s2 = inp.Scalars(400);
        Assert.True(Reference.Msm(g2, s2) == Pippenger.Msm<G2Jacobian, G2Affine, Fp2>(g2, s2, 2, default, 11), $"seed {inp.Seed}, G2");
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        var inp = new Inputs(6);
        var ex = Assert.Throws<ArgumentException>(() => Pippenger.Msm<G1Jacobian, G1Affine, Fp>(inp.G1Points(3), inp.Scalars(2), 1, default));
        Assert.Contains("3 points, 2 scalars", ex.Message);
    }

    [Fact]
    public void CancellationStopsTheWork()
    {
        var inp = new Inputs(7);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Pippenger.Msm<G1Jacobian, G1Affine, Fp>(inp.G1Points(200), inp.Scalars(200), 2, cts.Token));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1 << 10, 7)]
    [InlineData(1 << 20, 16)]
    public void WindowGrowsWithSize(int n, int atLeast) => Assert.True(Pippenger.ChooseWindow(n) >= atLeast);
}
