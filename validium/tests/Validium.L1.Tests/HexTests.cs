using System.Numerics;

namespace Validium.L1.Tests;

public class HexTests
{
    [Theory]
    [InlineData(0, "0x0")]
    [InlineData(1, "0x1")]
    [InlineData(0x400, "0x400")]
    [InlineData(0xff, "0xff")]
    public void Quantities_have_no_leading_zeros(long value, string hex)
    {
        Assert.Equal(hex, Hex.EncodeQuantity(value));
        Assert.Equal(value, Hex.DecodeLong(hex));
    }

    [Fact]
    public void Quantities_cover_256_bits_and_read_the_top_bit_as_magnitude()
    {
        var max = (BigInteger.One << 256) - 1;
        Assert.Equal("0x" + new string('f', 64), Hex.EncodeQuantity(max));
        Assert.Equal(max, Hex.DecodeQuantity("0x" + new string('f', 64)));
        Assert.Equal(new BigInteger(0x80), Hex.DecodeQuantity("0x80"));
        Assert.Equal(new BigInteger(1), Hex.DecodeQuantity("0x0001"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("12")]
    [InlineData("0xg1")]
    [InlineData("0x-1")]
    public void Bad_quantities_are_format_errors(string s) => Assert.Throws<FormatException>(() => Hex.DecodeQuantity(s));

    [Theory]
    [InlineData("0x1")]
    [InlineData("ab")]
    [InlineData("0xzz")]
    public void Bad_data_is_a_format_error(string s) => Assert.Throws<FormatException>(() => Hex.Decode(s));

    [Fact]
    public void Data_round_trips_and_accepts_an_empty_string()
    {
        Assert.Empty(Hex.Decode("0x"));
        Assert.Equal("0x00ff10", Hex.Encode(Hex.Decode("0x00FF10")));
        Assert.Throws<FormatException>(() => Hex.DecodeLong("0x8000000000000000"));
    }
}
