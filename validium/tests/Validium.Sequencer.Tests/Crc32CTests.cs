using System.Text;
using CsCheck;

namespace Validium.Sequencer.Tests;

public class Crc32CTests
{
    // RFC 3720 (iSCSI) appendix B.4 and the common check value for "123456789".
    [Theory]
    [InlineData("123456789", 0xE3069283u)]
    [InlineData("", 0x00000000u)]
    public void Known_strings(string text, uint expected) => Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Rfc3720_vectors()
    {
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));
    }

    /// <summary>Bit-at-a-time over the reflected Castagnoli polynomial: the textbook definition, nothing shared with the code under test.</summary>
    private static uint Bitwise(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
        }
        return ~crc;
    }

    [Fact]
    public void Matches_the_bitwise_definition_at_every_length_and_alignment() =>
        Gen.Byte.Array[0, 300].Select(Gen.Int[0, 8]).Sample((data, skip) =>
        {
            var tail = data.AsSpan(Math.Min(skip, data.Length)).ToArray();
            Assert.Equal(Bitwise(tail), Crc32C.Compute(data.AsSpan(Math.Min(skip, data.Length))));
        });

    [Fact]
    public void Append_continues_a_finished_crc() =>
        Gen.Byte.Array[0, 100].Select(Gen.Byte.Array[0, 100]).Sample((a, b) =>
            Assert.Equal(Crc32C.Compute([.. a, .. b]), Crc32C.Append(Crc32C.Compute(a), b)));
}
