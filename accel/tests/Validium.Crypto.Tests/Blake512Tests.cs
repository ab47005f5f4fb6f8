using Validium.Crypto.Hashing;

namespace Validium.Crypto.Tests;

public class Blake512Tests
{
    public static TheoryData<int> Vectors => CircomlibVectors.Indices("blake512");

    // The two BLAKE-512 examples in appendix A of the BLAKE submission ("SHA-3 proposal BLAKE", v1.3).
    [Theory]
    [InlineData(1, "97961587f6d970faba6d2478045de6d1fabd09b61ae50932054d52bc29d31be4ff9102b9f69e2bbdb83be13d4b9c06091e5fa0b48bd081b634058be0ec49beb3")]
    [InlineData(144, "313717d608e9cf758dcb1eb0f0c3cf9fc150b2d500fb33f51c52afc99d358a2f1374b8a38bba7974e7f6ef79cab16f22ce1e649d6e01ad9589c213045d545dde")]
    public void Matches_the_specification_examples(int zeroBytes, string expected)
    {
        Assert.Equal(expected, Convert.ToHexStringLower(Blake512.Hash(new byte[zeroBytes])));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Matches_blake_hash_as_circomlibjs_uses_it(int index)
    {
        var v = CircomlibVectors.Item("blake512", index);
        Assert.Equal(v.Str("digest"), Convert.ToHexStringLower(Blake512.Hash(v.Hex("message"))));
    }

    [Fact]
    public void Rejects_a_short_destination()
    {
        Assert.Throws<ArgumentException>(() => Blake512.Hash([1, 2, 3], new byte[63]));
    }
}
