using System.Text;
using CsCheck;
using Validium.L1.Rlp;

namespace Validium.L1.Tests;

public class RlpTests
{
    private static RlpItem S(string s) => RlpItem.String(Encoding.ASCII.GetBytes(s));

    // The examples of the RLP specification (ethereum.org, "Recursive-length prefix serialization").
    public static TheoryData<string, string> SpecExamples() => new()
    {
        { "dog", "0x83646f67" },
        { "cat-dog", "0xc88363617483646f67" },
        { "empty string", "0x80" },
        { "empty list", "0xc0" },
        { "integer 0", "0x80" },
        { "byte 0", "0x00" },
        { "integer 15", "0x0f" },
        { "integer 1024", "0x820400" },
        { "set theory", "0xc7c0c1c0c3c0c1c0" },
        { "lorem", "0xb8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974" },
    };

    private static RlpItem Example(string name) => name switch
    {
        "dog" => S("dog"),
        "cat-dog" => RlpItem.List(S("cat"), S("dog")),
        "empty string" => RlpItem.Empty,
        "empty list" => RlpItem.List(),
        "integer 0" => RlpItem.Integer(0),
        "byte 0" => RlpItem.String([0]),
        "integer 15" => RlpItem.Integer(15),
        "integer 1024" => RlpItem.Integer(1024),
        "set theory" => RlpItem.List(RlpItem.List(), RlpItem.List(RlpItem.List()), RlpItem.List(RlpItem.List(), RlpItem.List(RlpItem.List()))),
        "lorem" => S("Lorem ipsum dolor sit amet, consectetur adipisicing elit"),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void Encodes_the_specification_examples_and_decodes_them_back(string name, string hex)
    {
        var item = Example(name);
        Assert.Equal(hex, Hex.Encode(Rlp.Rlp.Encode(item)));
        Assert.Equal(hex, Hex.Encode(Rlp.Rlp.Encode(Rlp.Rlp.Decode(Hex.Decode(hex)))));
    }

    [Theory]
    [InlineData("0x", "unexpected end")]
    [InlineData("0x8100", "non-canonical")]              // single byte < 0x80 wrapped
    [InlineData("0xb800", "leading zero")]               // long form, zero length byte
    [InlineData("0xb80161", "below 56")]                 // long form for a short string
    [InlineData("0x83646f", "claims 3 bytes")]            // truncated
    [InlineData("0x83646f6700", "trailing")]              // extra byte
    [InlineData("0xc3836f67", "claims 3 bytes")]          // list item runs past the list
    [InlineData("0xbc0000000000", "beyond what this decoder")]
    public void Rejects_malformed_and_non_canonical_input(string hex, string message)
    {
        var e = Assert.Throws<FormatException>(() => Rlp.Rlp.Decode(Hex.Decode(hex)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Rejects_integers_with_leading_zeros_and_deep_nesting()
    {
        Assert.Throws<FormatException>(() => Rlp.Rlp.Decode(Hex.Decode("0x820001")).AsInteger());
        var nested = RlpItem.List();
        for (int i = 0; i < 100; i++) nested = RlpItem.List(nested);
        Assert.Contains("nest deeper", Assert.Throws<FormatException>(() => Rlp.Rlp.Decode(Rlp.Rlp.Encode(nested))).Message);
    }

    internal static RlpItem RandomItem(Random rng, int depth = 0)
    {
        int pick = rng.Next(depth >= 3 ? 4 : 6);
        if (pick < 3) return RlpItem.String(RandomBytes(rng, rng.Next(pick == 0 ? 2 : 70)));
        if (pick == 3) return RlpItem.String(RandomBytes(rng, 56 + rng.Next(250)));
        return RlpItem.List(Enumerable.Range(0, rng.Next(6)).Select(_ => RandomItem(rng, depth + 1)));
    }

    private static byte[] RandomBytes(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }

    [Fact]
    public void Decode_inverts_encode() =>
        Gen.Int.Sample(seed =>
        {
            var item = RandomItem(new Random(seed));
            var bytes = Rlp.Rlp.Encode(item);
            Assert.Equal(bytes, Rlp.Rlp.Encode(Rlp.Rlp.Decode(bytes)));
            Assert.Equal(bytes.Length, Rlp.Rlp.EncodedLength(item));
        });

    [SkippableFact]
    public void Encodings_match_ethers()
    {
        var rng = new Random(20240601);
        var items = Enumerable.Range(0, 200).Select(_ => RandomItem(rng)).ToArray();
        var answers = JsTools.Ethers(items.Select(i => new { op = "rlpEncode", value = ToEthers(i) }));
        for (int i = 0; i < items.Length; i++)
            Assert.Equal(answers[i].GetProperty("hex").GetString(), Hex.Encode(Rlp.Rlp.Encode(items[i])));
    }

    private static object ToEthers(RlpItem item) => item.IsList ? item.Items.Select(ToEthers).ToArray() : Hex.Encode(item.Bytes);
}
