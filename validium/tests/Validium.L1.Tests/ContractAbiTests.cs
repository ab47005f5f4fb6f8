using System.Numerics;
using System.Text.Json;
using Validium.Crypto;
using Validium.L1.Abi;

namespace Validium.L1.Tests;

/// <summary>solc's ABI JSON for the test contract, read by <see cref="ContractAbi"/> and compared with ethers' Interface.</summary>
public class ContractAbiTests
{
    internal static object?[] Order(int seed)
    {
        var rng = new Random(seed);
        var id = new byte[32];
        rng.NextBytes(id);
        var trader = new byte[20];
        rng.NextBytes(trader);
        return [EthereumAddress.FromBytes(trader), (BigInteger)(rng.NextInt64() - long.MaxValue / 2), id, $"note {seed} €", Enumerable.Range(0, seed % 4).Select(i => (object?)(BigInteger)(i * 1000 + seed)).ToArray()];
    }

    [SkippableFact]
    public void Selectors_topics_and_error_selectors_match_ethers()
    {
        var (abi, json, _) = JsTools.Contract("Probe");
        var a = JsTools.Ethers([new { op = "interface", abi = json }])[0];
        var functions = a.GetProperty("functions").EnumerateArray().ToDictionary(f => f.GetProperty("signature").GetString()!, f => f.GetProperty("selector").GetString());
        Assert.Equal(functions.Count, abi.Functions.Count());
        foreach (var f in abi.Functions) Assert.Equal(functions[f.Signature], Hex.Encode(f.Selector));
        var events = a.GetProperty("events").EnumerateArray().ToDictionary(f => f.GetProperty("signature").GetString()!, f => f.GetProperty("topic").GetString());
        Assert.Equal(events.Count, abi.Events.Count());
        foreach (var e in abi.Events) Assert.Equal(events[e.Signature], Hex.Encode(e.Topic0));
        var errors = a.GetProperty("errors").EnumerateArray().ToDictionary(f => f.GetProperty("signature").GetString()!, f => f.GetProperty("selector").GetString());
        Assert.Equal(errors.Count, abi.Errors.Count());
        foreach (var e in abi.Errors) Assert.Equal(errors[e.Signature], Hex.Encode(e.Selector));
        Assert.Contains("store(bytes32,bytes,(address,int64,bytes32,string,uint16[]))", functions.Keys);
    }

    [SkippableFact]
    public void Decodes_revert_data_that_ethers_encodes()
    {
        var (abi, json, _) = JsTools.Contract("Probe");
        var caller = EthereumAddress.Parse("0x00000000000000000000000000000000000000aa");
        var order = Order(3);
        var answers = JsTools.Ethers([
            new { op = "encodeError", abi = json, name = "Unauthorized", values = JsTools.ToJson(new object?[] { caller, (BigInteger)42 }) },
            new { op = "encodeError", abi = json, name = "BadOrder", values = JsTools.ToJson(new object?[] { order, "too big" }) },
            new { op = "encodeError", abi = json, name = "Empty", values = JsTools.ToJson(Array.Empty<object?>()) },
            new { op = "encodeError", abi = json, name = "Error", values = JsTools.ToJson(new object?[] { "no way" }) },
            new { op = "encodeError", abi = json, name = "Panic", values = JsTools.ToJson(new object?[] { (BigInteger)0x11 }) },
        ]);
        var data = answers.Select(x => Hex.Decode(x.GetProperty("hex").GetString()!)).ToArray();
        Assert.Equal($"reverted with Unauthorized(caller={caller}, needed=42)", abi.DecodeRevert(data[0]).ToString());
        var bad = abi.DecodeRevert(data[1]);
        Assert.Equal("BadOrder", bad.Name);
        Assert.Equal(JsTools.ToJson(order)!.ToJsonString(), JsTools.ToJson(bad.Arguments[0])!.ToJsonString());
        Assert.Equal("too big", bad.Arguments[1]);
        Assert.Equal("reverted with Empty()", abi.DecodeRevert(data[2]).ToString());
        Assert.Equal("no way", abi.DecodeRevert(data[3]).Message);
        Assert.Equal("panicked: 0x11 arithmetic overflow or underflow", abi.DecodeRevert(data[4]).ToString());
        Assert.Equal("reverted with unrecognised data 0xdeadbeef", abi.DecodeRevert(Hex.Decode("0xdeadbeef")).ToString());
        Assert.Equal("reverted without data", abi.DecodeRevert([]).ToString());
        // A known selector with arguments that do not decode is reported raw, not misread.
        Assert.Null(abi.DecodeRevert(data[0][..20]).Error);
    }

    [SkippableFact]
    public void Decodes_event_logs_that_ethers_encodes()
    {
        var (abi, json, _) = JsTools.Contract("Probe");
        var by = EthereumAddress.Parse("0x00000000000000000000000000000000000000bb");
        var key = new byte[32];
        key[31] = 7;
        var order = Order(2);
        var answers = JsTools.Ethers([
            new { op = "encodeEventLog", abi = json, name = "Counted", values = JsTools.ToJson(new object?[] { by, (BigInteger)9, "nine" }) },
            new { op = "encodeEventLog", abi = json, name = "Stored", values = JsTools.ToJson(new object?[] { key, new byte[] { 1, 2, 3 }, order }) },
            new { op = "encodeEventLog", abi = json, name = "Tagged", values = JsTools.ToJson(new object?[] { "hot", new object?[] { (BigInteger)1, (BigInteger)2, (BigInteger)3 }, true }) },
        ]);
        DecodedEvent Decode(JsonElement log) => abi.TryDecodeLog(
            log.GetProperty("topics").EnumerateArray().Select(t => Hex.Decode(t.GetString()!)).ToArray(), Hex.Decode(log.GetProperty("data").GetString()!))!;
        var counted = Decode(answers[0]);
        Assert.Equal($"Counted(by={by}, count=9, label=\"nine\")", counted.ToString());
        var stored = Decode(answers[1]);
        Assert.Equal(key, stored["key"]);
        Assert.Equal(JsTools.ToJson(order)!.ToJsonString(), JsTools.ToJson(stored["order"])!.ToJsonString());
        var tagged = Decode(answers[2]);
        Assert.Equal(new IndexedHash(Keccak256.Hash("hot"u8)).ToString(), tagged["tag"]!.ToString());
        Assert.Equal(true, tagged["flag"]);
        Assert.Equal(Keccak256.Hash("hot"u8), abi.Event("Tagged").FilterTopics("hot")[1]);
    }

    [Theory]
    [InlineData("{}", "array")]
    [InlineData("[{\"type\":\"function\",\"inputs\":[]}]", "without a name")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"name\":\"x\",\"type\":\"uint7\"}]}]", "integer width")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"name\":\"x\",\"type\":\"tuple\"}]}]", "no components")]
    [InlineData("[{\"type\":\"widget\",\"name\":\"f\"}]", "unknown type")]
    [InlineData("[{\"type\":", "not valid JSON")]
    public void Bad_abi_json_is_a_clear_format_error(string json, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => ContractAbi.Parse(json)).Message);
}
