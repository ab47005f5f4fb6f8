using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Validium.Crypto;
using Validium.L1.Abi;

namespace Validium.L1.Tests;

public class AbiCodecTests
{
    private static AbiType[] Types(params string[] t) => t.Select(AbiType.Parse).ToArray();

    [Fact]
    public void Matches_the_examples_of_the_solidity_abi_specification()
    {
        // docs.soliditylang.org, "Contract ABI Specification", examples for contract Foo.
        var baz = new AbiFunction("baz", [new("x", new AbiUInt(32)), new("y", AbiBool.Instance)], []);
        Assert.Equal("0xcdcd77c0" + "0000000000000000000000000000000000000000000000000000000000000045" + "0000000000000000000000000000000000000000000000000000000000000001",
            Hex.Encode(baz.EncodeCall(69u, true)));
        var sam = new AbiFunction("sam", Types("bytes", "bool", "uint256[]").Select(t => new AbiParameter("", t)).ToArray(), []);
        Assert.Equal("0xa5643bf2" +
            "0000000000000000000000000000000000000000000000000000000000000060" + "0000000000000000000000000000000000000000000000000000000000000001" +
            "00000000000000000000000000000000000000000000000000000000000000a0" + "0000000000000000000000000000000000000000000000000000000000000004" +
            "6461766500000000000000000000000000000000000000000000000000000000" + "0000000000000000000000000000000000000000000000000000000000000003" +
            "0000000000000000000000000000000000000000000000000000000000000001" + "0000000000000000000000000000000000000000000000000000000000000002" +
            "0000000000000000000000000000000000000000000000000000000000000003",
            Hex.Encode(sam.EncodeCall("dave"u8.ToArray(), true, new object[] { 1, 2, 3 })));
        var f = new AbiFunction("f", Types("uint256", "uint32[]", "bytes10", "bytes").Select(t => new AbiParameter("", t)).ToArray(), []);
        Assert.Equal("0x8be65246", Hex.Encode(f.Selector));
        Assert.Equal("0x8be65246" +
            "0000000000000000000000000000000000000000000000000000000000000123" + "0000000000000000000000000000000000000000000000000000000000000080" +
            "3132333435363738393000000000000000000000000000000000000000000000" + "00000000000000000000000000000000000000000000000000000000000000e0" +
            "0000000000000000000000000000000000000000000000000000000000000002" + "0000000000000000000000000000000000000000000000000000000000000456" +
            "0000000000000000000000000000000000000000000000000000000000000789" + "000000000000000000000000000000000000000000000000000000000000000d" +
            "48656c6c6f2c20776f726c642100000000000000000000000000000000000000",
            Hex.Encode(f.EncodeCall(0x123, new object[] { 0x456, 0x789 }, "1234567890"u8.ToArray(), "Hello, world!"u8.ToArray())));
    }

    [Theory]
    [InlineData("uint", "uint256")]
    [InlineData("int", "int256")]
    [InlineData("(uint8,(address,bytes)[2])[]", "(uint8,(address,bytes)[2])[]")]
    [InlineData("bytes32[][3]", "bytes32[][3]")]
    [InlineData("()", "()")]
    public void Parses_type_strings_to_canonical_form(string input, string canonical) => Assert.Equal(canonical, AbiType.Parse(input).CanonicalName);

    [Theory]
    [InlineData("uint7")]
    [InlineData("uint264")]
    [InlineData("uint08")]
    [InlineData("bytes0")]
    [InlineData("bytes33")]
    [InlineData("uint256[0]")]
    [InlineData("uint256[")]
    [InlineData("(uint256")]
    [InlineData("(uint256,)")]
    [InlineData("strin")]
    [InlineData("tuple")]
    public void Rejects_malformed_type_strings(string input) => Assert.Throws<FormatException>(() => AbiType.Parse(input));

    [Fact]
    public void Decode_inverts_encode_for_random_types_and_values() =>
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            var types = Enumerable.Range(0, 1 + rng.Next(4)).Select(_ => AbiRandom.Type(rng)).ToArray();
            var values = types.Select(t => AbiRandom.Value(rng, t)).ToArray();
            var encoded = AbiCodec.Encode(types, values);
            var decoded = AbiCodec.Decode(types, encoded);
            Assert.Equal(JsTools.ToJson(values)!.ToJsonString(), JsTools.ToJson(decoded)!.ToJsonString());
            Assert.Equal(encoded, AbiCodec.Encode(types, decoded));
        }, iter: 2000);

    [SkippableFact]
    public void Encodings_match_ethers_and_each_side_decodes_the_other()
    {
        const int seed = 20250101;
        var rng = new Random(seed);
        var cases = Enumerable.Range(0, 400).Select(_ =>
        {
            var types = Enumerable.Range(0, 1 + rng.Next(4)).Select(_ => AbiRandom.Type(rng)).ToArray();
            return (Types: types, Values: types.Select(t => AbiRandom.Value(rng, t)).ToArray());
        }).ToArray();
        var ops = new List<object>();
        foreach (var c in cases)
        {
            var typeNames = c.Types.Select(t => t.CanonicalName).ToArray();
            ops.Add(new { op = "abiEncode", types = typeNames, values = JsTools.ToJson(c.Values) });
            ops.Add(new { op = "abiDecode", types = typeNames, data = Hex.Encode(AbiCodec.Encode(c.Types, c.Values)) });
        }
        var answers = JsTools.Ethers(ops);
        for (int i = 0; i < cases.Length; i++)
        {
            var (types, values) = cases[i];
            var label = $"seed {seed} case {i}: ({string.Join(",", types.Select(t => t.CanonicalName))})";
            var encoded = answers[2 * i];
            Assert.False(encoded.TryGetProperty("error", out var e1), $"{label}: ethers: {e1}");
            Assert.True(Hex.Encode(AbiCodec.Encode(types, values)) == encoded.GetProperty("hex").GetString(), $"{label}: encodings differ");
            var decoded = answers[2 * i + 1];
            Assert.False(decoded.TryGetProperty("error", out var e2), $"{label}: ethers: {e2}");
            Assert.Equal(JsTools.ToJson(values)!.ToJsonString(), JsonNode.Parse(decoded.GetProperty("values").GetRawText())!.ToJsonString());
            var ours = AbiCodec.Decode(types, Hex.Decode(encoded.GetProperty("hex").GetString()!));
            Assert.Equal(JsTools.ToJson(values)!.ToJsonString(), JsTools.ToJson(ours)!.ToJsonString());
        }
    }

    [Theory]
    [InlineData("uint8", 256)]
    [InlineData("uint256", -1)]
    [InlineData("int8", 128)]
    [InlineData("int8", -129)]
    public void Refuses_integers_outside_their_type(string type, int value) =>
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => AbiCodec.Encode(AbiType.Parse(type), value)).Message);

    [Fact]
    public void Refuses_values_of_the_wrong_shape_naming_the_position()
    {
        var t = Types("(uint8,bytes4)[]");
        var e = Assert.Throws<ArgumentException>(() => AbiCodec.Encode(t, [new object[] { new object[] { 1, new byte[4] }, new object[] { 2, new byte[3] } }]));
        Assert.Contains("[0][1][1]", e.Message);
        Assert.Contains("exactly 4 bytes", e.Message);
        Assert.Throws<ArgumentException>(() => AbiCodec.Encode(Types("uint256[2]"), [new object[] { 1 }]));
        Assert.Throws<ArgumentException>(() => AbiCodec.Encode(Types("bool"), [1]));
        Assert.Throws<ArgumentException>(() => AbiCodec.Encode(Types("address"), ["0x1234"]));
    }

    private static string W(string hexDigits) => hexDigits.PadLeft(64, '0');

    [Theory]
    [InlineData("bool", "2", "neither 0 nor 1")]
    [InlineData("uint8", "100", "does not fit")]
    [InlineData("int8", "80", "not sign-extended")]
    [InlineData("address", "1" + "000000000000000000000000000000000000000000000000", "padding")]
    public void Decoding_is_strict_about_word_contents(string type, string word, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => AbiCodec.Decode(AbiType.Parse(type), Hex.Decode("0x" + W(word)))).Message);

    [Fact]
    public void Decoding_rejects_offsets_and_lengths_that_leave_the_data()
    {
        var bytesType = AbiType.Parse("bytes");
        Assert.Contains("offset", Assert.Throws<FormatException>(() => AbiCodec.Decode(bytesType, Hex.Decode("0x" + W("40")))).Message);
        Assert.Contains("length", Assert.Throws<FormatException>(() => AbiCodec.Decode(bytesType, Hex.Decode("0x" + W("20") + W("ffffffff")))).Message);
        // A huge claimed element count must fail before anything of that size is allocated.
        var arr = AbiType.Parse("uint256[]");
        Assert.Contains("length", Assert.Throws<FormatException>(() => AbiCodec.Decode(arr, Hex.Decode("0x" + W("20") + W("40") + W("1")))).Message);
        Assert.Contains("padding", Assert.Throws<FormatException>(() => AbiCodec.Decode(bytesType, Hex.Decode("0x" + W("20") + W("1") + "61" + "01".PadRight(62, '0')))).Message);
        Assert.Contains("UTF-8", Assert.Throws<FormatException>(() => AbiCodec.Decode(AbiString.Instance, Hex.Decode("0x" + W("20") + W("1") + "ff".PadRight(64, '0')))).Message);
        Assert.Throws<FormatException>(() => AbiCodec.Decode(Types("uint256", "uint256"), new byte[40]));
    }

    [Fact]
    public void Random_garbage_never_escapes_as_anything_but_format_errors() =>
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            var types = Enumerable.Range(0, 1 + rng.Next(3)).Select(_ => AbiRandom.Type(rng)).ToArray();
            var data = AbiCodec.Encode(types, types.Select(t => AbiRandom.Value(rng, t)).ToArray());
            if (data.Length == 0) return;
            for (int k = 0; k < 4; k++) data[rng.Next(data.Length)] ^= (byte)(1 << rng.Next(8));
            try
            {
                AbiCodec.Decode(types, data);
            }
            catch (FormatException)
            {
            }
        }, iter: 2000);
}
