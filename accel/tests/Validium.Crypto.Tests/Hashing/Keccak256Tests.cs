using CsCheck;

namespace Validium.Crypto.Tests.Hashing;

public class Keccak256Tests
{
    public static TheoryData<string> Cases => VectorFile.Names("ethers.json", "keccak256");

    [Theory]
    [MemberData(nameof(Cases))]
    public void OneShotMatchesEthers(string name)
    {
        var c = VectorFile.Case("ethers.json", "keccak256", name);
        var input = c.GetProperty("input").Hex();
        Assert.Equal(c.GetProperty("length").GetInt32(), input.Length);
        var expected = c.GetProperty("hash").Hex();

        Assert.Equal(expected, Keccak256.Hash(input));
        Span<byte> dst = stackalloc byte[40];
        dst.Fill(0xAA);
        Keccak256.Hash(input, dst);
        Assert.Equal(expected, dst[..32].ToArray());
        Assert.True(dst[32..].ToArray().All(b => b == 0xAA), "wrote past the 32-byte digest");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void IncrementalMatchesEthersAtEverySplit(string name)
    {
        var c = VectorFile.Case("ethers.json", "keccak256", name);
        var input = c.GetProperty("input").Hex();
        var expected = c.GetProperty("hash").Hex();
        var hasher = new Keccak256();
        for (int split = 0; split <= input.Length; split += Math.Max(1, input.Length / 17))
        {
            Assert.Equal(expected, hasher.Append(input.AsSpan(0, split)).Append(input.AsSpan(split)).GetHashAndReset());
        }
    }

    [Fact]
    public void HasherIsReusableAfterReset()
    {
        var expectedAbc = VectorFile.Case("ethers.json", "keccak256", "abc").GetProperty("hash").Hex();
        var hasher = new Keccak256();
        hasher.Append("something else entirely"u8).GetHashAndReset();
        Span<byte> dst = stackalloc byte[32];
        hasher.Append("ab"u8).Append("c"u8).GetHashAndReset(dst);
        Assert.Equal(expectedAbc, dst.ToArray());
    }

    [Fact]
    public void ChunkingNeverChangesTheDigest()
    {
        Gen.Select(Gen.Byte.Array[0, 600], Gen.Int[1, 200]).Sample((data, chunk) =>
        {
            var hasher = new Keccak256();
            for (int i = 0; i < data.Length; i += chunk) hasher.Append(data.AsSpan(i, Math.Min(chunk, data.Length - i)));
            return hasher.GetHashAndReset().AsSpan().SequenceEqual(Keccak256.Hash(data));
        });
    }

    [Fact]
    public void ShortDestinationIsRejected()
    {
        Assert.Throws<ArgumentException>(() => Keccak256.Hash("abc"u8, new byte[31]));
        Assert.Throws<ArgumentException>(() => new Keccak256().GetHashAndReset(new byte[31]));
    }
}
