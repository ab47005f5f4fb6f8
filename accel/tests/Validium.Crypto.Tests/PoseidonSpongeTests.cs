using CsCheck;

namespace Validium.Crypto.Tests;

/// <summary>The sponge against its definition written out with Poseidon (itself checked against circomlibjs for every width).</summary>
public class PoseidonSpongeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(31)]
    public void FollowsTheDefinition(int n)
    {
        var words = Enumerable.Range(1, n).Select(i => Fr.FromUInt64((ulong)(i * 7919))).ToArray();
        var acc = Fr.FromUInt64((ulong)n);
        for (int k = 0; k < n; k += 15)
            acc = Poseidon.Hash([acc, .. Enumerable.Range(k, 15).Select(i => i < n ? words[i] : Fr.Zero)]);
        Assert.Equal(acc, PoseidonSponge.Commit(words));
    }

    [Fact]
    public void TrailingZeroWordsChangeTheCommitment()
    {
        Fr[] a = [Fr.FromUInt64(5)];
        Assert.NotEqual(PoseidonSponge.Commit(a), PoseidonSponge.Commit([.. a, Fr.Zero]));
    }

    [Fact]
    public void BytesRoundTrip() => GenFr.Any.Array[0, 40].Sample(words =>
    {
        var bytes = PoseidonSponge.ToBytes(words);
        Assert.Equal(words, PoseidonSponge.FromBytes(bytes));
        Assert.Equal(PoseidonSponge.Commit(words), PoseidonSponge.CommitBytes(bytes));
    }, iter: 50);

    [Fact]
    public void MalformedBytesAreRefused()
    {
        Assert.Contains("not a whole number", Assert.Throws<FormatException>(() => PoseidonSponge.FromBytes(new byte[33])).Message);
        var bytes = new byte[64];
        bytes.AsSpan(32).Fill(0xff);
        Assert.Contains("word 1 is not below", Assert.Throws<FormatException>(() => PoseidonSponge.FromBytes(bytes)).Message);
    }
}
