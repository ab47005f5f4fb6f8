using Validium.Crypto;

namespace Validium.Proving.Tests;

public class R1csTests
{
    /// <summary>x·y = z with z public: wires [1, z, x, y].</summary>
    private static R1cs Multiplier() => new(4, 1, 0, 2, [new Constraint([new Term(2, Fr.One)], [new Term(3, Fr.One)], [new Term(1, Fr.One)], "x*y=z")]);

    [Fact]
    public void SatisfiedAndUnsatisfiedWitnesses()
    {
        var r = Multiplier();
        Assert.Equal(1, r.NumPublic);
        Assert.Equal(-1, r.FirstUnsatisfied([Fr.One, 15, 3, 5]));
        Assert.Equal(0, r.FirstUnsatisfied([Fr.One, 16, 3, 5]));
        Assert.Throws<ArgumentException>(() => r.FirstUnsatisfied([Fr.Zero, 15, 3, 5]));
        Assert.Throws<ArgumentException>(() => r.FirstUnsatisfied([Fr.One, 15, 3]));
    }

    [Fact]
    public void MalformedSystemsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new R1cs(3, 1, 0, 2, []));
        Assert.Throws<ArgumentException>(() => new R1cs(2, 0, 0, 1, [new Constraint([new Term(5, Fr.One)], [], [], "bad")]));
    }
}
