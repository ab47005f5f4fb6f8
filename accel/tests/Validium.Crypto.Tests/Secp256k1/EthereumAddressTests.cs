namespace Validium.Crypto.Tests.Secp256k1;

public class EthereumAddressTests
{
    public static TheoryData<string> Checksummed()
    {
        var data = new TheoryData<string>();
        foreach (var k in VectorFile.Load("ethers.json").GetProperty("keys").EnumerateArray()) data.Add(k.Str("address"));
        return data;
    }

    [Theory]
    [MemberData(nameof(Checksummed))]
    public void ChecksumRoundTripsAndPlainCaseIsAccepted(string address)
    {
        var a = EthereumAddress.Parse(address);
        Assert.Equal(address, a.ToString());
        Assert.Equal(a, EthereumAddress.Parse("0x" + address[2..].ToLowerInvariant()));
        Assert.Equal(a, EthereumAddress.Parse("0x" + address[2..].ToUpperInvariant()));
        Assert.Equal(a, EthereumAddress.FromBytes(a.ToBytes()));
    }

    [Theory]
    [MemberData(nameof(Checksummed))]
    public void WrongChecksumIsRejected(string address)
    {
        int letter = address.IndexOfAny("abcdefABCDEF".ToCharArray(), 2);
        if (letter < 0) return;
        var chars = address.ToCharArray();
        chars[letter] = char.IsUpper(chars[letter]) ? char.ToLowerInvariant(chars[letter]) : char.ToUpperInvariant(chars[letter]);
        var mistyped = new string(chars);
        // Still mixed case after the flip only if another letter keeps the other case; otherwise it is plain and accepted.
        bool mixed = mistyped[2..].Any(char.IsAsciiLetterUpper) && mistyped[2..].Any(char.IsAsciiLetterLower);
        Assert.Equal(!mixed, EthereumAddress.TryParse(mistyped, out _));
        if (mixed) Assert.Throws<FormatException>(() => EthereumAddress.Parse(mistyped));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("7E5F4552091A69125d5DfCb7b8C2659029395Bdf")]
    [InlineData("0X7E5F4552091A69125d5DfCb7b8C2659029395Bdf")]
    [InlineData("0x7E5F4552091A69125d5DfCb7b8C2659029395Bd")]
    [InlineData("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf0")]
    [InlineData("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdg")]
    public void MalformedAddressIsRejected(string? s) => Assert.False(EthereumAddress.TryParse(s, out _));

    [Fact]
    public void EqualityIsOnTheBytes()
    {
        var bytes = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        var a = EthereumAddress.FromBytes(bytes);
        bytes[19] ^= 1;
        var b = EthereumAddress.FromBytes(bytes);
        Assert.NotEqual(a, b);
        Assert.True(a != b);
        Assert.Equal(EthereumAddress.Zero, EthereumAddress.FromBytes(new byte[20]));
        Assert.Throws<ArgumentException>(() => EthereumAddress.FromBytes(new byte[19]));
    }
}
